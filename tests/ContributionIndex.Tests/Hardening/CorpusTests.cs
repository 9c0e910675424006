using System.Globalization;
using ContributionIndex.Ingest;
using ContributionIndex.Tests.Ingest;

namespace ContributionIndex.Tests.Hardening;

/// <summary>
/// Runs every entry of TestData/hardening/corpus.csv and checks its documented outcome: exit code, one clear message
/// naming file, line, column and rule (no stack trace), the quarantine row, the reconciliation counts, no partial output
/// on failure, and records identical to clean.csv for valid-but-tricky files.
/// </summary>
public class CorpusTests
{
    public static TheoryData<CorpusEntry> Entries() => Corpus.All();

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
        var run = CorpusRun.Ingest(studyPath, output);

        // The exit code of an estimate-error entry is that of contrib estimate; ingest accepts the file.
        var expectedExit = entry.Outcome == "estimate-error" ? 0 : entry.Exit;
        Assert.True(expectedExit == run.Exit, $"exit {run.Exit}, expected {expectedExit}; stderr: {run.Stderr}");
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", run.Stderr, StringComparison.Ordinal);

        switch (entry.Outcome)
        {
            case "accepted":
            case "estimate-error": // accepted by ingest; contrib estimate refuses it (EstimateCorpusTests)
            case "same-as-clean":
            case "quoted-line-break":
                Assert.Equal("", run.Stderr);
                AssertCounts(entry, run);
                Assert.Equal(["quarantine.csv"], OutputFiles(output));
                if (entry.Outcome is "same-as-clean" or "quoted-line-break") AssertSameAsClean(entry, run, scratch);
                break;

            case "rejected-rows":
                Assert.Equal("", run.Stderr);
                AssertCounts(entry, run);
                Assert.Equal(["quarantine.csv"], OutputFiles(output));
                AssertQuarantined(entry, Path.Combine(output, "quarantine.csv"), Path.GetFileName(entry.File.Replace("gen:", "", StringComparison.Ordinal)));
                break;

            case "tolerance-exceeded":
                AssertOneMessage(entry, run, location: null);
                AssertCounts(entry, run);
                Assert.Equal(["quarantine.csv"], OutputFiles(output));
                break;

            case "file-error":
                AssertOneMessage(entry, run, Path.GetFileName(entry.File.Replace("gen:", "", StringComparison.Ordinal)));
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
    private static List<string> OutputFiles(string folder) =>
        Directory.Exists(folder) ? [.. Directory.EnumerateFileSystemEntries(folder).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal)] : [];

    private static void AssertCounts(CorpusEntry entry, RunOutcome run)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"survey: read {entry.Read} = accepted {entry.Read - entry.Rejected} + rejected {entry.Rejected}");
        Assert.Contains(line, run.Stdout, StringComparison.Ordinal);
        Assert.Equal(entry.Read - entry.Rejected, run.Records.Count);
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
        // The location is followed by the end of the location (no other line or column number).
        var after = message[(message.IndexOf(where, StringComparison.Ordinal) + where.Length)..];
        Assert.True(after.StartsWith(':') || after.StartsWith(' '), $"'{where}' is followed by '{after}' in: {message}");
        if (entry.Line > 0 && entry.Column == 0) Assert.False(char.IsAsciiDigit(after.ElementAtOrDefault(1)) && after[0] == ':', message);
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

    private static void AssertSameAsClean(CorpusEntry entry, RunOutcome run, TempDirectory scratch)
    {
        var clean = new CorpusEntry(0, "clean.csv", "", "accepted", "", 0, 0, 0, 12, 0, "");
        using var cleanScratch = new TempDirectory();
        var reference = CorpusRun.Ingest(Corpus.Materialise(clean, cleanScratch.Path), cleanScratch.File("out"));
        Assert.Equal(0, reference.Exit);
        var expected = reference.Records.Select(CorpusRun.Canonical).ToList();
        var actual = run.Records.Select(CorpusRun.Canonical).ToList();
        if (entry.Outcome == "quoted-line-break") actual = [.. actual.Select(a => a.Replace("\\n", " ", StringComparison.Ordinal))];
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++) Assert.True(expected[i] == actual[i], $"record {i + 1}:\n{expected[i]}\n{actual[i]}");
        _ = scratch;
    }
}
