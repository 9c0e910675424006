using System.Globalization;
using System.Text.Json;
using ContributionIndex.Cli;
using ContributionIndex.Ingest;
using ContributionIndex.Studies;

namespace ContributionIndex.Tests.Hardening;

/// <summary>What one run of a corpus entry produced.</summary>
internal sealed record RunOutcome(int Exit, string Stdout, string Stderr, IReadOnlyList<VolunteerRecord> Records);

/// <summary>
/// Runs a study the way the CLI does: ingest every input, quarantine rejected rows atomically, print the reconciliation,
/// enforce the rejection tolerance; every failure goes through the CLI's <see cref="CommandRunner"/> (one line, exit code).
/// </summary>
internal static class CorpusRun
{
    public static RunOutcome Ingest(string studyPath, string outputFolder)
    {
        var stdout = new StringWriter(CultureInfo.InvariantCulture);
        var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var records = new List<VolunteerRecord>();
        var exit = CommandRunner.Run(stderr, verbose: false, () =>
        {
            var study = StudyLoader.Load(studyPath);
            var counts = new IngestCounts();
            using var quarantine = new QuarantineWriter(Path.Combine(outputFolder, "quarantine.csv"));
            foreach (var item in StudyInputReader.ReadAll(study, counts))
            {
                if (item.Record is { } record) records.Add(record);
                else quarantine.Add(item);
            }

            foreach (var input in counts.PerInput)
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{input.Input}: read {input.Read} = accepted {input.Accepted} + rejected {input.Rejected}"));
            quarantine.Commit();
            counts.EnsureWithin(study.Checks.RejectionTolerance, quarantine.Path);
            return ExitCodes.Success;
        });
        return new RunOutcome(exit, stdout.ToString(), stderr.ToString(), records);
    }

    /// <summary>Runs <c>contrib value STUDY --out FOLDER</c> and returns its exit code and output (no records).</summary>
    /// <summary>Runs <c>contrib</c> in process with <paramref name="args"/>: exit code, stdout and stderr.</summary>
    public static (int Exit, string Stdout, string Stderr) Cli(params string[] args)
    {
        var stdout = new StringWriter(CultureInfo.InvariantCulture);
        var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var exit = Program.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    public static RunOutcome Value(string studyPath, string outputFolder)
    {
        var stdout = new StringWriter(CultureInfo.InvariantCulture);
        var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var exit = Program.Run(["value", studyPath, "--out", outputFolder], stdout, stderr);
        return new RunOutcome(exit, stdout.ToString(), stderr.ToString(), []);
    }

    /// <summary>A record as JSON without its source location, so that files with different layouts can be compared.</summary>
    public static string Canonical(VolunteerRecord record) =>
        JsonSerializer.Serialize(record with { Source = default });
}
