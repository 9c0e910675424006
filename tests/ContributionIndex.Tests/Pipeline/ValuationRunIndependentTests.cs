using System.Globalization;
using System.Text.Json;
using ContributionIndex.Pipeline;
using ContributionIndex.Studies;
using ContributionIndex.Synthesis;
using ContributionIndex.Tests.Samples;

namespace ContributionIndex.Tests.Pipeline;

/// <summary>
/// The streaming, optimised valuation (methodology/scale.md) checked against a straightforward LINQ computation on a
/// synthetic hour log: the CSV is split by hand, the 19th ICLS rules the log exercises are applied to whole lists
/// (person totals by GroupBy), and the sums are compared with summary.csv and valued_records.csv. Nothing here comes from
/// a stored output of an earlier build.
/// </summary>
public class ValuationRunIndependentTests
{
    private const double Tolerance = 1e-9; // relative: Neumaier sums in the run vs plain sums here

    /// <summary>
    /// A 20,000-row log (seed 11) with a study tightened so that every person-level rule fires: a 5-day reference
    /// period caps a person's hours at 120 (k = 1, one period; persons log 30–165 h), and 70 volunteer hours are needed to count.
    /// </summary>
    private static (Study Study, string Folder, string DataPath) TightStudy(int rows = 20_000)
    {
        var folder = SampleStudies.NewTemporaryFolder();
        var synth = HourLogSynthesizer.Write(rows, folder, seed: 11);
        var text = File.ReadAllText(synth.StudyPath)
            .Replace("length_days: 365", "length_days: 5", StringComparison.Ordinal)
            .Replace("minimum_hours: 1", "minimum_hours: 70", StringComparison.Ordinal)
            .Replace("rejection_tolerance: 0.01", "rejection_tolerance: 1", StringComparison.Ordinal);
        Assert.Contains("length_days: 5", text, StringComparison.Ordinal);
        Assert.Contains("minimum_hours: 70", text, StringComparison.Ordinal);
        File.WriteAllText(synth.StudyPath, text);
        return (StudyLoader.Load(synth.StudyPath), folder, synth.DataPath);
    }

    private sealed record Row(long Line, string Person, string Country, double? Hours, int Age);

    // Both paths of the run are checked against the plain computation: the hour-log fast path (methodology/scale.md §9),
    // which this study takes, and the general path.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Summaries_and_rows_match_a_plain_LINQ_computation_on_a_synthetic_log(bool allowFastPath)
    {
        var (study, folder, dataPath) = TightStudy();
        var output = Path.Combine(folder, "out");
        var result = ValuationRun.Run(study, new StudyRecordSource(study), output, RecordOutput.Csv, allowFastPath);
        Assert.Equal(allowFastPath, ValuationRun.LastRunTookFastPath);

        // Independent reading: the synthetic CSV has no quoted fields; column order from its header.
        var lines = File.ReadAllLines(dataPath);
        var header = lines[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name);
        var (person, country, hours, age) = (Col("volunteer_id"), Col("country"), Col("hours"), Col("age"));
        var all = lines.Skip(1).Select((line, i) =>
        {
            var f = line.Split(',');
            return new Row(i + 2, f[person], f[country], double.Parse(f[hours], CultureInfo.InvariantCulture), int.Parse(f[age], CultureInfo.InvariantCulture));
        }).ToList();

        // Ingest rejects negative hours (the synthesiser's dirty rows); everything else is accepted.
        var accepted = all.Where(r => r.Hours >= 0).ToList();
        var rejectedAtIngest = all.Count - accepted.Count;
        Assert.True(rejectedAtIngest > 0, "the synthetic log should contain dirty rows");

        // 19th ICLS, person level: total hours per person over the 120-hour period (5 days × 24 h) reject the person's
        // rows with hours; volunteer hours (rows of working age) below 70 exclude the person's valued rows.
        var totals = accepted.GroupBy(r => r.Person).ToDictionary(g => g.Key, g => g.Sum(r => r.Hours!.Value));
        var volunteerHours = accepted.Where(r => r.Age >= 15).GroupBy(r => r.Person).ToDictionary(g => g.Key, g => g.Sum(r => r.Hours!.Value));
        bool AbovePeriod(Row r) => r.Hours > 0 && totals[r.Person] > 120;
        var rejectedByChecks = accepted.Count(AbovePeriod);
        Assert.True(rejectedByChecks > 0, "the 120-hour cap should reject some persons' rows");
        var kept = accepted.Where(r => !AbovePeriod(r)).ToList();
        var valued = kept.Where(r => r.Age >= 15 && volunteerHours.GetValueOrDefault(r.Person) >= 70).ToList();
        Assert.True(kept.Count(r => r.Age >= 15) > valued.Count, "the 70-hour minimum should exclude some persons");

        var counts = Assert.Single(result.Inputs);
        Assert.Equal(all.Count, counts.Read);
        Assert.Equal(rejectedAtIngest, counts.RejectedAtIngest);
        Assert.Equal(rejectedByChecks, counts.RejectedByChecks);
        Assert.Equal(valued.Count, counts.Valued);

        // valued_records.csv: one row per kept row, in input order; quarantine.csv: one per rejected row.
        var records = File.ReadAllLines(Path.Combine(output, "valued_records.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(kept.Select(r => r.Line.ToString(CultureInfo.InvariantCulture)), records.Select(f => f[2]));
        Assert.Equal(rejectedAtIngest + rejectedByChecks, File.ReadAllLines(Path.Combine(output, "quarantine.csv")).Length - 1);

        // summary.csv per country: records, distinct volunteers, hours, and the generalist value = hours × generalist
        // wage (on-cost uplift 0, one price year) from the study file.
        var summary = File.ReadAllLines(Path.Combine(output, "summary.csv")).Select(l => l.Split(',')).ToList();
        var columns = summary[0];
        int S(string name) => Array.IndexOf(columns, name);
        foreach (var code in new[] { "KZ", "KG", "TJ", "UZ" })
        {
            var rows = valued.Where(r => r.Country == code).ToList();
            var generalistWage = study.Countries.Single(c => c.Code == code).GeneralistWage!.Value;
            var line = summary.Single(f => f[S("country")] == code && f[S("method")] == "generalist");
            Assert.Equal(rows.Count, long.Parse(line[S("valued_records")], CultureInfo.InvariantCulture));
            Assert.Equal(rows.Select(r => r.Person).Distinct().Count(), double.Parse(line[S("volunteers")], CultureInfo.InvariantCulture));
            AssertClose(rows.Sum(r => r.Hours!.Value), double.Parse(line[S("hours_annual")], CultureInfo.InvariantCulture));
            AssertClose(rows.Sum(r => r.Hours!.Value * generalistWage), double.Parse(line[S("value_lcu_current")], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Records_none_writes_the_same_aggregates_without_the_per_record_file()
    {
        var (study, folder, _) = TightStudy(5_000);
        var full = Path.Combine(folder, "full");
        var lean = Path.Combine(folder, "lean");
        ValuationRun.Run(study, new StudyRecordSource(study), full);
        ValuationRun.Run(study, new StudyRecordSource(study), lean); // a stale valued_records.csv, to be removed below
        Assert.True(File.Exists(Path.Combine(lean, "valued_records.csv")));
        ValuationRun.Run(study, new StudyRecordSource(study), lean, RecordOutput.None);

        Assert.False(File.Exists(Path.Combine(lean, "valued_records.csv")));
        foreach (var name in new[] { "summary.csv", "method_range.csv", "quarantine.csv" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(full, name)), File.ReadAllBytes(Path.Combine(lean, name)));
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(lean, "manifest.json")));
        var outputs = manifest.RootElement.GetProperty("outputs").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(["quarantine.csv", "summary.csv", "method_range.csv", "manifest.json"], outputs);
    }

    [Fact]
    public void The_value_command_accepts_records_none_and_rejects_other_modes()
    {
        var (study, folder, _) = TightStudy(2_000);
        var output = Path.Combine(folder, "cli");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(0, ContributionIndex.Cli.Program.Run(["value", study.SourcePath, "--out", output, "--records", "none"], stdout, stderr));
        Assert.DoesNotContain("valued_records.csv", stdout.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "summary.csv")));
        Assert.NotEqual(0, ContributionIndex.Cli.Program.Run(["value", study.SourcePath, "--out", output, "--records", "parquet"], new StringWriter(), new StringWriter()));
    }

    [Fact]
    public void Cached_number_text_is_the_round_trip_text_of_every_value()
    {
        var cache = new RoundTripNumberCache();
        var random = new Random(5);
        // Few distinct values written many times (the cache's purpose), values that share slots, and edge cases.
        var values = Enumerable.Range(0, 200).Select(i => Math.Round(random.NextDouble() * 5000, 2))
            .Concat(Enumerable.Range(0, 50_000).Select(_ => random.NextDouble() * 1e6))
            .Concat([0.0, -0.0, 1.0, 0.1 + 0.2, 1e16, 1e-300, double.MaxValue, double.Epsilon, -123.456]).ToList();
        foreach (var round in Enumerable.Range(0, 3))
        {
            foreach (var value in values)
                Assert.Equal(value.ToString("R", CultureInfo.InvariantCulture), cache.Format(value));
        }
    }

    [Fact]
    public void The_UTF8_row_writer_writes_the_bytes_of_a_UTF8_stream_writer()
    {
        string[] texts =
        [
            "plain", "Алматы", "Душанбе, \"центр\"", "line\nbreak", "cr\rhere", "=SUM(A1)", "+7", "-c", "@x", "\ttab",
            "emoji 😀 pair", "lone \uD800 high", "\uDC00 lone low", "ends high \uD83D", "", "x", new string('щ', 70_000),
        ];
        double?[] numbers = [0.1 + 0.2, -0.0, 1e16, null, 2203.3971774193546, double.Epsilon];
        long?[] integers = [0, -1, long.MaxValue, long.MinValue, null, 42];

        void WriteAll(CsvRowWriter csv)
        {
            csv.Header(["a", "b", "c"]);
            for (var i = 0; i < 3_000; i++)
            {
                csv.Text(texts[i % texts.Length]).Number(numbers[i % numbers.Length]).Integer(integers[i % integers.Length]).Text(null).End();
            }
        }

        var expected = new MemoryStream();
        using (var writer = new StreamWriter(expected, new System.Text.UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" })
        {
            WriteAll(new CsvRowWriter(writer));
        }

        var actual = new MemoryStream();
        var direct = new CsvRowWriter(actual);
        WriteAll(direct);
        direct.Flush();
        Assert.True(expected.Length > 1 << 20, "the test should cross many buffer flushes");
        Assert.Equal(expected.ToArray(), actual.ToArray());
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance * Math.Max(1, Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");
}
