using ContributionIndex.Reporting;
using ContributionIndex.Cli;
using ContributionIndex.Ingest;
using ContributionIndex.Studies;
using ContributionIndex.Synthesis;
using ContributionIndex.Tests.Samples;

namespace ContributionIndex.Tests.Synthesis;

public class SynthesisTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void The_synthetic_study_runs_through_report_with_forum_directions_in_table_2()
    {
        // An hour-log-only study has no survey cells: the annex must still build (disclosure control has nothing to
        // protect there), and the platform categories must reach table 2 through the study's crosswalk.
        var synth = HourLogSynthesizer.Write(3000, SampleStudies.NewTemporaryFolder(), seed: 5);
        var output = Path.Combine(SampleStudies.NewTemporaryFolder(), "annex");
        var (code, _, err) = Run("report", synth.StudyPath, "--out", output, "--lang", "en", "--format", "csv");
        Assert.True(code == 0, err);

        var t2 = File.ReadAllLines(Directory.GetFiles(Path.Combine(output, "csv"), "*-T2.csv").Single()).Skip(1).Select(l => l.Split(',')).ToList();
        var directions = t2.Where(f => f[4] == "Forum direction").Select(f => f[5]).ToHashSet(StringComparer.Ordinal);
        var language = ReportLanguage.ForAnnex("en");
        var forum = new[] { "climate_eco", "health", "inclusion", "education", "international", "social", "emergencies", "ethno", "it_media" }
            .Select(d => language.Text("direction." + d)).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(directions);
        Assert.Subset(forum, directions);
    }

    [Fact]
    public void Same_seed_gives_the_same_bytes_and_another_seed_other_bytes()
    {
        var a = HourLogSynthesizer.Write(3000, SampleStudies.NewTemporaryFolder(), seed: 7);
        var b = HourLogSynthesizer.Write(3000, SampleStudies.NewTemporaryFolder(), seed: 7);
        var c = HourLogSynthesizer.Write(3000, SampleStudies.NewTemporaryFolder(), seed: 8);
        Assert.Equal(File.ReadAllBytes(a.DataPath), File.ReadAllBytes(b.DataPath));
        Assert.Equal(File.ReadAllBytes(a.StudyPath), File.ReadAllBytes(b.StudyPath));
        Assert.NotEqual(File.ReadAllBytes(a.DataPath), File.ReadAllBytes(c.DataPath));
        var wages = Path.Combine(Path.GetDirectoryName(a.StudyPath)!, "wages", "kz_isco_wages_2023.csv");
        Assert.Equal(File.ReadAllBytes(wages), File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(b.StudyPath)!, "wages", "kz_isco_wages_2023.csv")));
    }

    [Fact]
    public void Same_seed_gives_the_same_parquet_bytes()
    {
        var a = HourLogSynthesizer.Write(2000, SampleStudies.NewTemporaryFolder(), seed: 3, format: "parquet");
        var b = HourLogSynthesizer.Write(2000, SampleStudies.NewTemporaryFolder(), seed: 3, format: "parquet");
        Assert.Equal(File.ReadAllBytes(a.DataPath), File.ReadAllBytes(b.DataPath));
    }

    [Fact]
    public void Writes_the_requested_rows_with_all_four_countries_and_a_header()
    {
        var result = HourLogSynthesizer.Write(4321, SampleStudies.NewTemporaryFolder(), seed: 1);
        var lines = File.ReadAllLines(result.DataPath);
        Assert.Equal(4321 + 1, lines.Length);
        Assert.Equal(string.Join(',', HourLogSynthesizer.Columns), lines[0]);
        Assert.All(lines.Skip(1), l => Assert.Equal(HourLogSynthesizer.Columns.Count, l.Split(',').Length));
        var countries = lines.Skip(1).Select(l => l.Split(',')[2]).Distinct().Order().ToList();
        Assert.Equal(["KG", "KZ", "TJ", "UZ"], countries);
        Assert.Equal(4321, result.Rows);
        Assert.Equal(new FileInfo(result.DataPath).Length, result.Bytes);
    }

    [Fact]
    public void Zero_rows_give_a_header_only_file()
    {
        var result = HourLogSynthesizer.Write(0, SampleStudies.NewTemporaryFolder());
        Assert.Equal([string.Join(',', HourLogSynthesizer.Columns)], File.ReadAllLines(result.DataPath));
    }

    [Fact]
    public void Contrib_value_runs_on_a_small_synth_output()
    {
        var folder = SampleStudies.NewTemporaryFolder();
        var (code, stdout, stderr) = Run("synth", "--rows", "20000", "--out", folder, "--seed", "11");
        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal("", stderr);
        Assert.Contains("wrote 20,000 entries", stdout);

        var output = Path.Combine(folder, "out");
        (code, stdout, stderr) = Run("value", Path.Combine(folder, "study.yaml"), "--out", output);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal("", stderr);
        // Reconciliation: every generated row is read; the deliberate negative-hours rows (about 1 in 5,000) are rejected at ingest.
        Assert.Contains("platform: read 20000 = accepted ", stdout);
        foreach (var country in new[] { "KZ", "KG", "TJ", "UZ", "REGION" }) Assert.Contains($"hour-log {country}:", stdout);
        var quarantine = File.ReadAllLines(Path.Combine(output, "quarantine.csv"));
        Assert.InRange(quarantine.Length - 1, 1, 20);
        Assert.All(quarantine.Skip(1), line => Assert.Contains("hours.negative", line));
    }

    [Fact]
    public void Parquet_and_csv_synth_logs_give_identical_records_and_summaries()
    {
        var csv = HourLogSynthesizer.Write(5000, SampleStudies.NewTemporaryFolder(), seed: 5, format: "csv");
        var parquet = HourLogSynthesizer.Write(5000, SampleStudies.NewTemporaryFolder(), seed: 5, format: "parquet");
        var fromCsv = Records(csv.StudyPath);
        var fromParquet = Records(parquet.StudyPath);
        Assert.Equal(5000, fromCsv.Count);
        Assert.Contains(fromCsv, r => r.StartsWith("rejected ", StringComparison.Ordinal));
        Assert.Equal(fromCsv, fromParquet);

        var csvOut = Path.Combine(Path.GetDirectoryName(csv.StudyPath)!, "out");
        var parquetOut = Path.Combine(Path.GetDirectoryName(parquet.StudyPath)!, "out");
        Assert.Equal(ExitCodes.Success, Run("value", csv.StudyPath, "--out", csvOut).Code);
        Assert.Equal(ExitCodes.Success, Run("value", parquet.StudyPath, "--out", parquetOut).Code);
        Assert.Equal(File.ReadAllBytes(Path.Combine(csvOut, "summary.csv")), File.ReadAllBytes(Path.Combine(parquetOut, "summary.csv")));
    }

    /// <summary>Every record (or rejection) as text, with the file name blanked (hours.csv vs hours.parquet) but the line kept.</summary>
    private static List<string> Records(string studyPath)
    {
        var study = StudyLoader.Load(studyPath);
        return [.. StudyInputReader.ReadAll(study).Select(item =>
        {
            if (item.Record is not { } r) return "rejected " + (item.Rejection! with { Location = item.Rejection!.Location with { File = "" } });
            return (r with { Source = r.Source with { File = "" }, SdgGoals = [], ReplicateWeights = [] }) + " sdg=" + string.Join(' ', r.SdgGoals);
        })];
    }
}
