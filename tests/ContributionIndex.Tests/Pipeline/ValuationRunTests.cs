using System.Text.Json;
using ContributionIndex.Diagnostics;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;
using static ContributionIndex.Tests.Valuation.TestStudies;

namespace ContributionIndex.Tests.Pipeline;

public class ValuationRunTests
{
    private static readonly IngestItem[] Fixture =
    [
        Item(Record("a", 10, "3422", weight: 100_000, activity: "a")),
        Item(Record("a", 5, "9129", weight: 100_000, activity: "b")),
        Item(Record("b", null, volunteered: false, weight: 250_000)),
        Item(Record("c", 4, "=HYPERLINK(1)", weight: 50_000, with: r => r with { PersonId = "-c" })),
        Item(Record("d", 3, volunteered: false, weight: 1)),
        new IngestItem(null, new RejectedRow(new SourceLocation("survey.csv", 99, 7, "hours"), "hours.not-a-number", "'abc' is not a number.", "abc")) { InputName = "survey" },
    ];

    private static IngestItem[] Items() => Fixture;

    private static IngestItem Item(VolunteerRecord record) => new(record, null) { InputName = record.InputName };

    [Fact]
    public void Writes_every_output_with_reconciled_counts()
    {
        var study = OneCountry(ExampleWages, s => s with { Checks = s.Checks with { RejectionTolerance = 0.5 } });
        var output = Path.Combine(Path.GetDirectoryName(study.SourcePath)!, "out");
        var result = ValuationRun.Run(study, new InMemoryRecordSource(Items()), output);

        foreach (var name in ValuationRun.OutputFiles) Assert.True(File.Exists(Path.Combine(output, name)), name);
        Assert.Empty(Directory.GetFiles(output, "*.tmp", SearchOption.AllDirectories).Concat(Directory.GetFiles(output, ".*")));

        var counts = Assert.Single(result.Inputs);
        Assert.Equal(6, counts.Read);
        Assert.Equal(2, counts.Rejected);       // 'abc' at ingest, hours without volunteering
        Assert.Equal(4, counts.Accepted);
        Assert.Equal(3, counts.Valued);
        Assert.Equal(1, counts.Excluded.Values.Sum());
        Assert.Equal(counts.Read, counts.Accepted + counts.Rejected);

        var quarantine = File.ReadAllLines(Path.Combine(output, "quarantine.csv"));
        Assert.Equal(string.Join(",", OutputColumns.Quarantine), quarantine[0]);
        Assert.Equal(3, quarantine.Length);
        Assert.Contains(",icls.hours-without-volunteering,", quarantine[1]);
        Assert.StartsWith("survey,survey.csv,99,7,hours,hours.not-a-number,", quarantine[2]);

        var valued = File.ReadAllLines(Path.Combine(output, "valued_records.csv"));
        Assert.Equal(string.Join(",", OutputColumns.ValuedRecords), valued[0]);
        Assert.Equal(1 + 4, valued.Length);
        // Text from input never starts a formula: '-c' and '=HYPERLINK(1)' are prefixed with an apostrophe.
        Assert.Contains(",'-c,", valued[4]);
        Assert.Contains(",'=HYPERLINK(1),", valued[4]);

        var summary = File.ReadAllLines(Path.Combine(output, "summary.csv"));
        Assert.Equal(string.Join(",", OutputColumns.Summary), summary[0]);
        Assert.Equal(1 + 4, summary.Length); // one country × four methods

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "manifest.json")));
        var input = manifest.RootElement.GetProperty("inputs")[0];
        Assert.Equal(6, input.GetProperty("rows_read").GetInt64());
        Assert.Equal(2, input.GetProperty("rows_rejected").GetInt64());
        Assert.Equal(3, input.GetProperty("rows_valued").GetInt64());
        Assert.Equal(1, input.GetProperty("rows_excluded").GetProperty("not-volunteered").GetInt64());
        Assert.Equal(64, manifest.RootElement.GetProperty("wage_tables")[0].GetProperty("sha256").GetString()!.Length);
        Assert.Equal(0.5, manifest.RootElement.GetProperty("parameters").GetProperty("checks").GetProperty("rejection_tolerance").GetDouble());
        Assert.Equal(Manifest.PackageVersion, manifest.RootElement.GetProperty("package_version").GetString());
        Assert.StartsWith("0.1.0", Manifest.PackageVersion);
    }

    [Fact]
    public void Same_inputs_give_byte_identical_outputs()
    {
        var study = OneCountry(ExampleWages, s => s with { Checks = s.Checks with { RejectionTolerance = 0.5 } });
        var folder = Path.GetDirectoryName(study.SourcePath)!;
        ValuationRun.Run(study, new InMemoryRecordSource(Items()), Path.Combine(folder, "one"));
        ValuationRun.Run(study, new InMemoryRecordSource(Items()), Path.Combine(folder, "two"));
        foreach (var name in ValuationRun.OutputFiles)
            Assert.Equal(File.ReadAllBytes(Path.Combine(folder, "one", name)), File.ReadAllBytes(Path.Combine(folder, "two", name)));
    }

    [Fact]
    public void Rejections_above_the_tolerance_fail_after_writing_the_quarantine()
    {
        var study = OneCountry(ExampleWages); // tolerance 0 by default
        var output = Path.Combine(Path.GetDirectoryName(study.SourcePath)!, "out");
        var error = Assert.Throws<RejectionToleranceExceededException>(() => ValuationRun.Run(study, new InMemoryRecordSource(Items()), output));
        Assert.Equal(6, error.Read);
        Assert.Equal(2, error.Rejected);
        Assert.True(File.Exists(Path.Combine(output, "quarantine.csv")));
        Assert.False(File.Exists(Path.Combine(output, "valued_records.csv")));
        Assert.False(File.Exists(Path.Combine(output, "summary.csv")));
        Assert.Contains("quarantine.csv", error.Message);
    }

    [Fact]
    public void Validate_keeps_the_first_twenty_rejections_and_counts_all()
    {
        var study = OneCountry(ExampleWages);
        var items = Enumerable.Range(0, 25).Select(i => Item(Record("p" + i, 2, volunteered: false)));
        var result = ValuationRun.Validate(study, new InMemoryRecordSource(items));
        Assert.Equal(20, result.FirstRejections.Count);
        Assert.Equal(25, result.Rejected);
    }

    [Fact]
    public void Unknown_country_is_rejected_with_the_known_ones_named()
    {
        var study = OneCountry(ExampleWages);
        var result = ValuationRun.Validate(study, InMemoryRecordSource.Of([Record("p", 2, with: r => r with { Country = "FR" })]));
        var rejection = Assert.Single(result.FirstRejections);
        Assert.Equal("valuation.country-unknown", rejection.Rule);
        Assert.Contains("KZ", rejection.Reason);
    }
}
