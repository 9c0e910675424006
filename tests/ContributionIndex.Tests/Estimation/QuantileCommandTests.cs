using System.Globalization;
using System.Text.Json;
using ContributionIndex.Cli;

namespace ContributionIndex.Tests.Estimation;

/// <summary><c>contrib estimate --quantile … --quantile-ci</c> end to end against tests/r/golden-quantile.R.</summary>
public sealed class QuantileCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("contrib-quantile-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static JsonElement[] Results(string id) => QuantileGolden.Case(id).GetProperty("results").EnumerateArray().ToArray();

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static readonly string[] Volunteer = ["estimate", "--data", Path.Combine(RGolden.Folder, "volunteer.csv"), "--weights", "pw", "--strata", "region", "--psu", "psu"];

    private void AssertMatches(string id, string[] args)
    {
        var path = Path.Combine(folder, "est.csv");
        var (code, _, stderr) = Run([.. args, "--out", path]);
        Assert.True(code == 0, stderr);
        var lines = File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
        var expected = Results(id);
        Assert.Equal(expected.Length, rows.Count);
        for (int k = 0; k < rows.Count; k++)
            foreach (var (field, column) in new[] { ("quantile", "estimate"), ("ci_low", "ci_low"), ("ci_high", "ci_high"), ("se", "se") })
            {
                double r = RGolden.Number(expected[k].GetProperty(field)), ours = double.Parse(rows[k][column], CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(ours - r) <= 1e-9 * Math.Abs(r), $"{id} [{k}] {field}: R {r:R}, CLI {ours:R}");
            }
    }

    [Fact]
    public void Score_interval_by_domain_on_a_stratified_cluster_design_matches_R()
    {
        AssertMatches("quantile_vol_value_0.9_score_sex", [.. Volunteer, "--fpc", "popsize", "--quantile", "value:0.9", "--by", "sex", "--quantile-ci", "score"]);
    }

    [Fact]
    public void Score_interval_where_R_stops_leaves_the_interval_and_SE_cells_empty()
    {
        // The median of value is 0 (most persons do not volunteer): the score statistic has one sign over R's whole search
        // interval and uniroot stops; the CSV keeps the estimate and leaves interval and SE empty.
        Assert.All(Results("quantile_vol_value_0.5_score_sex"), r => Assert.True(r.TryGetProperty("error", out _)));
        var path = Path.Combine(folder, "est.csv");
        var (code, _, stderr) = Run([.. Volunteer, "--fpc", "popsize", "--quantile", "value:0.5", "--by", "sex", "--quantile-ci", "score", "--out", path]);
        Assert.True(code == 0, stderr);
        var lines = File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',').ToList();
        Assert.Equal(3, lines.Length);
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            Assert.Equal("0", cells[header.IndexOf("estimate")]);
            Assert.Equal("", cells[header.IndexOf("se")]);
            Assert.True(cells[header.IndexOf("ci_low")] == "" || cells[header.IndexOf("ci_high")] == "");
        }
    }

    [Fact]
    public void Beta_interval_on_a_design_without_fpc_matches_R()
    {
        AssertMatches("quantile_vol_wr_hours_0.75_beta_age", [.. Volunteer, "--quantile", "hours:0.75", "--by", "age", "--quantile-ci", "beta"]);
    }

    [Fact]
    public void Replicate_quantile_SE_by_domain_on_JKn_weights_built_from_PSUs_matches_R()
    {
        AssertMatches("quantile_vol_jkn_value_0.9_quantile_region", [.. Volunteer, "--rep-type", "jkn", "--quantile", "value:0.9", "--by", "region", "--quantile-ci", "quantile"]);
    }

    [Fact]
    public void Likelihood_proportion_interval_by_domain_matches_R_svyciprop()
    {
        var path = Path.Combine(folder, "est.csv");
        var (code, _, stderr) = Run([.. Volunteer, "--fpc", "popsize", "--proportion", "age=55+", "--by", "sex", "--ci-method", "likelihood", "--out", path]);
        Assert.True(code == 0, stderr);
        var lines = File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',').ToList();
        var expected = Results("ciprop_vol_age_55+_likelihood_sex");
        Assert.Equal(expected.Length, lines.Length - 1);
        for (int k = 0; k < expected.Length; k++)
        {
            var cells = lines[k + 1].Split(',');
            foreach (var field in new[] { "se", "ci_low", "ci_high" })
            {
                double r = RGolden.Number(expected[k].GetProperty(field)), ours = double.Parse(cells[header.IndexOf(field)], CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(ours - r) <= 1e-9 * Math.Abs(r), $"[{k}] {field}: R {r:R}, CLI {ours:R}");
            }
        }
    }

    [Fact]
    public void Likelihood_interval_with_replicate_weights_is_a_usage_error()
    {
        var (code, _, stderr) = Run([.. Volunteer, "--rep-type", "jkn", "--proportion", "age=55+", "--ci-method", "likelihood"]);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.StartsWith("error: --ci-method likelihood is for Taylor designs", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("beta", "jkn")]
    [InlineData("score", "jkn")]
    [InlineData("quantile", null)]
    public void An_interval_type_R_does_not_compute_for_the_design_is_a_usage_error(string method, string? repType)
    {
        string[] design = repType is null ? Volunteer : [.. Volunteer, "--rep-type", repType];
        var (code, _, stderr) = Run([.. design, "--quantile", "value:0.5", "--quantile-ci", method]);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.StartsWith("error: --quantile-ci " + method, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
