using System.Globalization;
using ContributionIndex.Cli;
using ContributionIndex.Tests.Ingest;

namespace ContributionIndex.Tests.Hardening;

/// <summary>
/// Runs <c>contrib estimate</c> (quick mode, which reads the data file directly) over the corpus data files: tricky files
/// give byte-identical estimates to clean.csv, unreadable files and rows in the design columns fail with one line
/// naming the same file, line and column, and a lonely PSU fails by default naming its stratum.
/// </summary>
public class EstimateCorpusTests
{
    /// <summary>The columns quick mode reads: weight, stratum, PSU and hours (1-based).</summary>
    private static readonly int[] DesignColumns = [3, 4, 5, 7];

    /// <summary>
    /// Row problems that quick mode accepts by design: it totals any numeric variable (negative hours included; the
    /// 19th ICLS checks belong to contrib value) and allows zero weights as R survey does.
    /// </summary>
    private static readonly string[] AcceptedByQuickMode = ["negative-hours.csv", "zero-weight.csv", "hours-above-period.csv", "hours-without-volunteering.csv"];

    public static TheoryData<CorpusEntry> Entries()
    {
        var data = new TheoryData<CorpusEntry>();
        foreach (var entry in Corpus.Entries)
        {
            if (entry.Outcome is "study-error" or "tolerance-exceeded") continue;
            // contrib estimate has no --thousands option.
            if (entry.InputOptions.Any(o => o.Key is "thousands")) continue;
            data.Add(entry);
        }

        return data;
    }

    private static (int Exit, string Stdout, string Stderr) Estimate(string dataPath, CorpusEntry entry, string? outFile)
    {
        var args = new List<string> { "estimate", "--data", dataPath, "--weights", "w", "--strata", "strata", "--psu", "psu", "--total", "h", "--by", "sex" };
        foreach (var (key, value) in entry.InputOptions) args.AddRange([$"--{key}", value]);
        if (outFile is not null) args.AddRange(["--out", outFile]);
        var stdout = new StringWriter(CultureInfo.InvariantCulture);
        var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var exit = Program.Run([.. args], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void Estimate_command_on_entry(CorpusEntry entry)
    {
        using var scratch = new TempDirectory();
        Corpus.Materialise(entry, scratch.Path);
        var name = entry.File.Replace("gen:", "", StringComparison.Ordinal);
        var dataPath = scratch.File(name);
        var outFile = scratch.File("out/estimates.csv");
        Directory.CreateDirectory(scratch.File("out"));
        var run = Estimate(dataPath, entry, outFile);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", run.Stderr, StringComparison.Ordinal);

        var rowFailsDesign = entry.Outcome == "rejected-rows" && !AcceptedByQuickMode.Contains(entry.File)
            && (DesignColumns.Contains(entry.Column) || entry.Rule.StartsWith("row.", StringComparison.Ordinal) || entry.Rule.StartsWith("cell.", StringComparison.Ordinal));
        if (entry.Outcome is "file-error" or "estimate-error" || rowFailsDesign)
        {
            Assert.True(run.Exit == ExitCodes.DataRejected, $"exit {run.Exit}: {run.Stderr}");
            var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 1, run.Stderr);
            Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
            // Every error names the file (the lonely PSU of entry 74 used to name only the stratum).
            if (entry.Outcome == "estimate-error") Assert.Contains(entry.Rule, lines[0], StringComparison.Ordinal);
            Assert.Contains(name, lines[0], StringComparison.Ordinal);
            if (rowFailsDesign || (entry.Outcome == "file-error" && entry.Line > 0 && !entry.Rule.Contains("mapped to", StringComparison.Ordinal) && !entry.Rule.Contains("Did you mean", StringComparison.Ordinal)))
            {
                var where = entry.Column > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"{name}:{entry.Line}:{entry.Column}")
                    : string.Create(CultureInfo.InvariantCulture, $"{name}:{entry.Line}");
                Assert.Contains(where, lines[0], StringComparison.Ordinal);
            }

            Assert.Empty(Directory.EnumerateFileSystemEntries(scratch.File("out")));
            return;
        }

        Assert.True(run.Exit == ExitCodes.Success, $"exit {run.Exit}: {run.Stderr}");
        Assert.Equal("", run.Stderr);
        Assert.Equal(["estimates.csv"], Directory.EnumerateFileSystemEntries(scratch.File("out")).Select(p => Path.GetFileName(p)!));
        if (entry.Outcome is "same-as-clean" or "quoted-line-break")
        {
            var clean = Corpus.Entries.Single(e => e.File == "clean.csv");
            using var cleanScratch = new TempDirectory();
            Corpus.Materialise(clean, cleanScratch.Path);
            Directory.CreateDirectory(cleanScratch.File("out"));
            Assert.Equal(0, Estimate(cleanScratch.File("clean.csv"), clean, cleanScratch.File("out/estimates.csv")).Exit);
            Assert.Equal(File.ReadAllBytes(cleanScratch.File("out/estimates.csv")), File.ReadAllBytes(outFile));
        }
    }
}
