using System.Globalization;
using ContributionIndex.Ingest;
using ContributionIndex.Tests.Ingest;

namespace ContributionIndex.Tests.Hardening;

/// <summary>
/// Runs every entry of TestData/hardening/corpus.csv through <c>contrib value</c> and checks its documented outcome: exit
/// code, one clear message naming file, line, column and rule (no stack trace), the quarantine row, the reconciliation
/// counts, no partial output on failure, and for valid-but-tricky files records identical to clean.csv (library) and
/// byte-identical valuation outputs (CLI).
/// </summary>
public class CorpusTests
{
    public static TheoryData<CorpusEntry> Entries() => Corpus.All();

    private static readonly string[] AllOutputs = ["manifest.json", "method_range.csv", "quarantine.csv", "summary.csv", "valued_records.csv"];

    [Fact]
    public void The_corpus_has_at_least_40_entries_and_covers_every_outcome()
    {
        Assert.True(Corpus.Entries.Count >= 40, $"{Corpus.Entries.Count} entries");
        Assert.Equal(Corpus.Entries.Count, Corpus.Entries.Select(e => e.Id).Distinct().Count());
        foreach (var outcome in new[] { "accepted", "same-as-clean", "file-error", "rejected-rows", "study-error", "tolerance-exceeded", "estimate-error" })
            Assert.Contains(Corpus.Entries, e => e.Outcome == outcome);
        foreach (var entry in Corpus.Entries.Where(e => !e.File.StartsWith("gen:", StringComparison.Ordinal)))
            Assert.True(File.Exists(Path.Combine(Corpus.Folder, entry.File)), entry.File);
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void Entry_gives_its_documented_outcome(CorpusEntry entry)
    {
        using var scratch = new TempDirectory();
        var studyPath = Corpus.Materialise(entry, scratch.Path);
        var output = scratch.File("out");
        var run = CorpusRun.Value(studyPath, output);

        // The exit code of an estimate-error entry is that of contrib estimate; contrib value accepts the file.
        var expectedExit = entry.Outcome == "estimate-error" ? 0 : entry.Exit;
        Assert.True(expectedExit == run.Exit, $"exit {run.Exit}, expected {expectedExit}; stderr: {run.Stderr}");
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", run.Stderr, StringComparison.Ordinal);
        var dataFile = entry.File.Replace("gen:", "", StringComparison.Ordinal);

        switch (entry.Outcome)
        {
            case "accepted":
            case "estimate-error":
            case "same-as-clean":
            case "quoted-line-break":
                Assert.Equal("", run.Stderr);
                AssertCounts(entry, run);
                Assert.Equal(AllOutputs, OutputFiles(output));
                if (entry.Outcome is "same-as-clean" or "quoted-line-break") AssertSameAsClean(entry, scratch, output);
                break;

            case "rejected-rows":
                Assert.Equal("", run.Stderr);
                AssertCounts(entry, run);
                Assert.Equal(AllOutputs, OutputFiles(output));
                AssertQuarantined(entry, Path.Combine(output, "quarantine.csv"), dataFile);
                break;

            case "tolerance-exceeded":
                AssertOneMessage(entry, run, location: null);
                // The quarantine is written (it says why); nothing else is.
                Assert.Equal(["quarantine.csv"], OutputFiles(output));
                using (var quarantine = TabularFile.Open(Path.Combine(output, "quarantine.csv"), new TabularOptions { AllowNoDataRows = true }))
                    Assert.Equal(entry.Rejected, quarantine.ReadRows().Count());
                break;

            case "file-error":
                AssertOneMessage(entry, run, dataFile);
                Assert.Empty(OutputFiles(output));
                break;

            case "study-error":
                AssertOneMessage(entry, run, Path.GetFileName(studyPath));
                Assert.Empty(OutputFiles(output));
                break;

            default:
                Assert.Fail($"unknown outcome {entry.Outcome}");
                break;
        }
    }

    /// <summary>Every file in the output folder, hidden temporary files included.</summary>
    /// <summary>The files a run published, without the marker every published folder carries (hardening.md §8).</summary>
    private static List<string> OutputFiles(string folder) =>
        Directory.Exists(folder) ? [.. Directory.EnumerateFileSystemEntries(folder).Select(p => Path.GetFileName(p)!).Where(n => n != ContributionIndex.Cli.OutputFolder.MarkerName).Order(StringComparer.Ordinal)] : [];

    private static void AssertCounts(CorpusEntry entry, RunOutcome run)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"survey: read {entry.Read} = accepted {entry.Read - entry.Rejected} + rejected {entry.Rejected} ");
        Assert.True(run.Stdout.Contains(line, StringComparison.Ordinal), $"'{line}' not in:\n{run.Stdout}");
    }

    /// <summary>One line on stderr: "error: FILE:LINE:COLUMN...: message" containing the rule's wording.</summary>
    private static void AssertOneMessage(CorpusEntry entry, RunOutcome run, string? location)
    {
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line, got: {run.Stderr}");
        var message = lines[0].TrimEnd('\r');
        Assert.StartsWith("error: ", message, StringComparison.Ordinal);
        Assert.True(message.Contains(entry.Rule, StringComparison.Ordinal), $"'{entry.Rule}' not in: {message}");
        if (location is null) return;
        var where = entry.Line == 0 ? location
            : entry.Column == 0 ? string.Create(CultureInfo.InvariantCulture, $"{location}:{entry.Line}")
            : string.Create(CultureInfo.InvariantCulture, $"{location}:{entry.Line}:{entry.Column}");
        Assert.True(message.Contains(where, StringComparison.Ordinal), $"'{where}' not in: {message}");
        // The location ends there: no further line or column number follows.
        var after = message[(message.IndexOf(where, StringComparison.Ordinal) + where.Length)..];
        Assert.True(after.Length > 0 && (after[0] == ' ' || (after[0] == ':' && !char.IsAsciiDigit(after.ElementAtOrDefault(1)))),
            $"'{where}' is followed by '{after}' in: {message}");
    }

    private static void AssertQuarantined(CorpusEntry entry, string quarantinePath, string dataFile)
    {
        using var reader = TabularFile.Open(quarantinePath, new TabularOptions { Encoding = "utf-8", Delimiter = ",", Decimal = "." });
        Assert.Equal(QuarantineWriter.Columns, reader.Headers);
        var rows = reader.ReadRows().ToList();
        Assert.Equal(entry.Rejected, rows.Count);
        var row = Assert.Single(rows, r => r[5] == entry.Rule);
        Assert.Empty(row.Problems);
        Assert.Equal(("survey", dataFile), (row[0], row[1]));
        Assert.Equal(entry.Line.ToString(CultureInfo.InvariantCulture), row[2]);
        Assert.Equal(entry.Column.ToString(CultureInfo.InvariantCulture), row[3]);
        Assert.NotEqual("", row[6]);
        Assert.DoesNotContain('\n', row[6]);
        // Text from the input never starts a quarantine cell as a formula.
        Assert.All(Enumerable.Range(0, row.FieldCount), i => Assert.False(row[i].Length > 0 && row[i][0] is '=' or '+' or '-' or '@', row[i]));
    }

    /// <summary>
    /// The tricky file gives the records of clean.csv (library, source locations aside), and contrib value gives
    /// byte-identical summary.csv and method_range.csv, and valued_records.csv identical but for the file and line columns.
    /// </summary>
    private static void AssertSameAsClean(CorpusEntry entry, TempDirectory scratch, string output)
    {
        var clean = Corpus.Entries.Single(e => e.File == "clean.csv");
        using var cleanScratch = new TempDirectory();
        var cleanStudy = Corpus.Materialise(clean, cleanScratch.Path);
        var reference = CorpusRun.Ingest(cleanStudy, cleanScratch.File("ingest"));
        var tricky = CorpusRun.Ingest(Path.Combine(scratch.Path, "study.yaml"), scratch.File("ingest"));
        Assert.Equal((0, 0), (reference.Exit, tricky.Exit));
        var expected = reference.Records.Select(CorpusRun.Canonical).ToList();
        var actual = tricky.Records.Select(CorpusRun.Canonical).ToList();
        if (entry.Outcome == "quoted-line-break") actual = [.. actual.Select(a => a.Replace("\\n", " ", StringComparison.Ordinal))];
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++) Assert.True(expected[i] == actual[i], $"record {i + 1}:\n{expected[i]}\n{actual[i]}");
        if (entry.Outcome == "quoted-line-break") return; // the activity text differs; valuation does not read it, but keep the claim exact

        var cleanOut = cleanScratch.File("out");
        Assert.Equal(0, CorpusRun.Value(cleanStudy, cleanOut).Exit);
        foreach (var name in new[] { "summary.csv", "method_range.csv" })
            Assert.True(File.ReadAllBytes(Path.Combine(cleanOut, name)).SequenceEqual(File.ReadAllBytes(Path.Combine(output, name))), $"{name} differs from clean's");
        Assert.Equal(ValuedWithoutLocation(Path.Combine(cleanOut, "valued_records.csv")), ValuedWithoutLocation(Path.Combine(output, "valued_records.csv")));
    }

    /// <summary>valued_records.csv read back with the library's reader, without the file and line columns.</summary>
    private static List<string> ValuedWithoutLocation(string path)
    {
        using var reader = TabularFile.Open(path, new TabularOptions { Encoding = "utf-8", Delimiter = ",", Decimal = "." });
        var file = reader.FindColumn("file");
        var line = reader.FindColumn("line");
        return [.. reader.ReadRows().Select(r => string.Join("\u001F", r.Fields.Where((_, i) => i != file && i != line)))];
    }
}
