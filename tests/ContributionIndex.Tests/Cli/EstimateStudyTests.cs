using System.Globalization;
using ContributionIndex.Cli;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Tests.Samples;

namespace ContributionIndex.Tests.Cli;

/// <summary><c>contrib estimate STUDY --out DIR</c>: files, determinism, summary and usage errors.</summary>
public sealed class EstimateStudyTests : IDisposable
{
    private readonly string _folder = SampleStudies.NewTemporaryFolder();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Writes_estimates_and_valuation_outputs_with_the_same_bytes_on_every_run()
    {
        var first = Path.Combine(_folder, "a");
        var second = Path.Combine(_folder, "b");
        var (code, stdout, stderr) = Run("estimate", SampleStudies.Study("kg"), "--out", first);
        Assert.True(code == ExitCodes.Success, stderr);
        Assert.Contains("KG  volunteer rate", stdout, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, Run("estimate", SampleStudies.Study("kg"), "--out", second).Code);
        foreach (var file in new[] { "estimates.csv", "valued_records.csv", "summary.csv", "method_range.csv", "quarantine.csv" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, file)), File.ReadAllBytes(Path.Combine(second, file)));
        Assert.Empty(Directory.GetFiles(first, "*.tmp"));

        var lines = File.ReadAllLines(Path.Combine(first, "estimates.csv"));
        Assert.Equal(VolunteerEstimatesCsv.Header, lines[0]);
        var rate = lines.Single(l => l.StartsWith("mean,volunteer_rate,KG,survey,all,all,", StringComparison.Ordinal)).Split(',');
        var value = double.Parse(rate[6], CultureInfo.InvariantCulture);
        var se = double.Parse(rate[7], CultureInfo.InvariantCulture);
        var cv = double.Parse(rate[10], CultureInfo.InvariantCulture);
        Assert.Equal(se / value, cv, 15);
        Assert.Equal("publish", rate[13]);
        Assert.Contains(lines, l => l.Contains(",hour-log,", StringComparison.Ordinal) && l.EndsWith(",admin", StringComparison.Ordinal));
    }

    [Fact]
    public void Study_mode_needs_an_output_folder_and_excludes_quick_mode()
    {
        Assert.Equal(ExitCodes.UsageError, Run("estimate", SampleStudies.Study("kg")).Code);
        Assert.Equal(ExitCodes.UsageError, Run("estimate", SampleStudies.Study("kg"), "--data", "x.csv", "--out", _folder).Code);
        var (code, _, stderr) = Run("estimate", "--total", "hours");
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("--data", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_study_file_is_a_study_error()
    {
        var (code, _, stderr) = Run("estimate", Path.Combine(_folder, "none.yaml"), "--out", _folder);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("none.yaml", stderr, StringComparison.Ordinal);
    }
}
