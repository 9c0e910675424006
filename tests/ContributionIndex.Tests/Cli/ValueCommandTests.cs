using ContributionIndex.Cli;
using ContributionIndex.Tests.Samples;

namespace ContributionIndex.Tests.Cli;

public class ValueCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Validate_prints_each_rejection_with_its_location_and_the_reconciliation()
    {
        var (code, stdout, stderr) = Run("validate", SampleStudies.Study("kz"));
        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal("", stderr);
        Assert.Contains("kz_lfs_volunteer_module_2023.csv:3761:14 (column 'hour_01'): icls.hours-above-period:", stdout);
        Assert.Contains("kz_lfs_volunteer_module_2023.csv:3762:14 (column 'hour_01'): number.invalid:", stdout);
        Assert.Contains("kz-survey: read 3761 = accepted 3758 + rejected 3 (at ingest 1, by checks 2)", stdout);
        Assert.Contains("kz-platform: read 2400 = accepted 2400 + rejected 0", stdout);
        Assert.Contains("ok: the study is valid", stdout);
    }

    [Fact]
    public void Validate_writes_nothing()
    {
        var folder = SampleStudies.Folder;
        var before = Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories).Order().ToList();
        Assert.Equal(ExitCodes.Success, Run("validate", SampleStudies.Study("tj")).Code);
        Assert.Equal(before, Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories).Order().ToList());
    }

    [Fact]
    public void Validate_over_the_tolerance_exits_1_with_the_count()
    {
        var study = SampleStudies.Variant("kg", "rejection_tolerance: 0.01", "rejection_tolerance: 0");
        var (code, stdout, stderr) = Run("validate", study);
        Assert.Equal(ExitCodes.DataRejected, code);
        Assert.Contains("3 of 4007 rows were rejected", stderr);
        Assert.Contains("icls.hours-without-volunteering", stdout);
    }

    [Fact]
    public void Value_writes_the_outputs_and_prints_a_summary()
    {
        var output = SampleStudies.NewTemporaryFolder();
        var (code, stdout, stderr) = Run("value", SampleStudies.Study("kg"), "--out", output);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal("", stderr);
        Assert.Contains("headline method: specialist", stdout);
        Assert.Contains("survey KG:", stdout);
        Assert.Contains("hour-log KG:", stdout);
        foreach (var name in new[] { "valued_records.csv", "summary.csv", "method_range.csv", "quarantine.csv", "manifest.json" })
            Assert.True(File.Exists(Path.Combine(output, name)), name);
    }

    [Fact]
    public void Value_over_the_tolerance_exits_1_after_writing_the_quarantine()
    {
        var study = SampleStudies.Variant("tj", "rejection_tolerance: 0.01", "rejection_tolerance: 0");
        var output = SampleStudies.NewTemporaryFolder();
        var (code, _, stderr) = Run("value", study, "--out", output);
        Assert.Equal(ExitCodes.DataRejected, code);
        Assert.StartsWith("error: 3 of 3769 rows were rejected", stderr);
        Assert.Contains("quarantine.csv", stderr);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(output, "quarantine.csv")).Length);
        Assert.False(File.Exists(Path.Combine(output, "summary.csv")));
    }

    [Fact]
    public void Value_without_out_is_a_usage_error()
    {
        var (code, _, stderr) = Run("value", SampleStudies.Study("kg"));
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("--out", stderr);
    }

    [Fact]
    public void A_missing_study_file_is_a_usage_error_in_one_line()
    {
        var (code, _, stderr) = Run("validate", Path.Combine(SampleStudies.NewTemporaryFolder(), "nope.yaml"));
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.StartsWith("error: ", stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public void A_bad_parameter_is_a_usage_error_naming_it()
    {
        var study = SampleStudies.Variant("kz", "opportunity_cost_share: 0.5", "opportunity_cost_share: 1.5");
        var (code, _, stderr) = Run("validate", study);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("opportunity_cost_share", stderr);
    }

    [Fact]
    public void A_base_year_without_cpi_is_a_usage_error_pointing_into_the_study_file()
    {
        var study = SampleStudies.Variant("kg", "base_year: 2023", "base_year: 2024");
        var (code, _, stderr) = Run("value", study, "--out", SampleStudies.NewTemporaryFolder());
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Matches(@"^error: .*kg\.yaml:\d+:\d+: country KG needs the CPI of 2024", stderr);
    }

    [Fact]
    public void A_bad_wage_table_row_is_named_by_file_line_and_column()
    {
        var folder = SampleStudies.NewTemporaryFolder();
        File.WriteAllText(Path.Combine(folder, "bad.csv"), "isco,hourly_wage,currency,year,source\n2,abc,KGS,2023,x\n");
        var study = SampleStudies.Variant("kg", "wages: parameters/kg_isco_wages_2023.csv", "wages: " + Path.Combine(folder, "bad.csv"));
        var (code, _, stderr) = Run("validate", study);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("bad.csv:2:2 (column 'hourly_wage'): 'abc' is not a positive hourly wage.", stderr);
    }
}
