using System.Globalization;
using System.Text.Json;
using ContributionIndex.Cli;

namespace ContributionIndex.Tests.Estimation;

/// <summary><c>contrib estimate --ci-method / --compare / --test ttest / --chisq</c> end to end against tests/r/golden-inference.R.</summary>
public sealed class InferenceCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("contrib-inference-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static readonly Lazy<JsonDocument> Golden = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RGolden.Folder, "inference-golden.json"))));

    private static JsonElement[] Results(string id) => Golden.Value.RootElement.GetProperty("cases").EnumerateArray()
        .Single(c => c.GetProperty("id").GetString() == id).GetProperty("results").EnumerateArray().ToArray();

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static List<Dictionary<string, string>> Csv(string path)
    {
        var lines = File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
    }

    private static void Close(JsonElement r, string value)
    {
        double expected = RGolden.Number(r), ours = double.Parse(value, CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(ours - expected) <= Math.Max(1e-9 * Math.Abs(expected), 1e-12), $"R {expected:R}, CLI {ours:R}");
    }

    private static readonly string[] VolDesign =
        ["estimate", "--data", Path.Combine(RGolden.Folder, "volunteer.csv"), "--weights", "pw", "--strata", "region", "--psu", "psu", "--fpc", "popsize"];

    [Fact]
    public void Logit_interval_by_domain_matches_R_svyciprop()
    {
        var path = Path.Combine(folder, "est.csv");
        var (code, _, stderr) = Run([.. VolDesign, "--proportion", "age=55+", "--by", "sex", "--ci-method", "logit", "--out", path]);
        Assert.True(code == 0, stderr);
        var rows = Csv(path);
        var expected = Results("ciprop_vol_age_55+_logit_sex");
        Assert.Equal(expected.Length, rows.Count);
        for (int k = 0; k < rows.Count; k++)
        {
            Close(expected[k].GetProperty("ci_low"), rows[k]["ci_low"]);
            Close(expected[k].GetProperty("ci_high"), rows[k]["ci_high"]);
            Close(expected[k].GetProperty("se"), rows[k]["se"]);
        }
    }

    [Fact]
    public void Compare_writes_pairwise_differences_beside_the_estimates_as_R_svycontrast()
    {
        var path = Path.Combine(folder, "est.csv");
        var (code, stdout, stderr) = Run([.. VolDesign, "--mean", "volunteer", "--by", "age,sex", "--compare", "sex", "--out", path]);
        Assert.True(code == 0, stderr);
        Assert.Contains("differences.csv", stdout);
        var text = File.ReadAllText(Path.Combine(folder, "differences.csv"));
        Assert.StartsWith("test,statistic,variable,age,compare,level_a,level_b,difference,se,t,df,p\n", text);
        var rows = Csv(Path.Combine(folder, "differences.csv"));
        var expected = Results("compare_vol_mean_volunteer_sex_age");
        Assert.Equal(expected.Length, rows.Count);
        for (int k = 0; k < rows.Count; k++)
        {
            Assert.Equal(RGolden.Strings(expected[k].GetProperty("other"))[0], rows[k]["age"]);
            foreach (var field in new[] { "difference", "se", "t", "df", "p" }) Close(expected[k].GetProperty(field), rows[k][field]);
        }
    }

    [Fact]
    public void Ttest_and_chisq_match_R()
    {
        var differences = Path.Combine(folder, "diff.csv");
        var (code, _, stderr) = Run([.. VolDesign, "--mean", "value", "--by", "sex", "--compare", "sex", "--test", "ttest",
            "--chisq", "sex,age", "--differences", differences]);
        Assert.True(code == 0, stderr);
        var ttest = Csv(differences).Single(r => r["test"] == "ttest");
        var expected = Results("ttest_vol_value_sex")[0];
        foreach (var field in new[] { "difference", "se", "t", "df", "p" }) Close(expected.GetProperty(field), ttest[field]);
        var chisq = Csv(Path.Combine(folder, "chisq.csv")).Single();
        var r = Results("chisq_vol_sex_age")[0];
        foreach (var field in new[] { "f", "ndf", "ddf", "p" }) Close(r.GetProperty(field), chisq[field]);
    }

    [Fact]
    public void Two_stage_design_with_fpc_at_both_stages_and_a_certainty_stratum_matches_R()
    {
        // multistage_ms_total_value__mean_sex: svydesign(ids = ~psu + ssu, strata = ~region, fpc = ~fpc1 + fpc2, weights = ~pw, nest = TRUE); region D is sampled with certainty.
        var path = Path.Combine(folder, "ms.csv");
        var (code, _, stderr) = Run("estimate", "--data", Path.Combine(RGolden.Folder, "volunteer_2stage.csv"), "--weights", "pw", "--strata", "region",
            "--psu", "psu", "--ssu", "ssu", "--fpc", "fpc1", "--fpc2", "fpc2", "--total", "value", "--by", "sex", "--out", path);
        Assert.True(code == 0, stderr);
        var rows = Csv(path);
        var expected = Results("multistage_ms_total_value__mean_sex");
        Assert.Equal(expected.Length, rows.Count);
        for (int k = 0; k < rows.Count; k++)
            foreach (var (field, column) in new[] { ("estimate", "estimate"), ("se", "se"), ("deff", "deff"), ("ci_low", "ci_low") })
                Close(expected[k].GetProperty(field), rows[k][column]);

        var adjusted = Path.Combine(folder, "adj.csv");
        var adjust = Run("estimate", "--data", Path.Combine(RGolden.Folder, "volunteer_2stage.csv"), "--weights", "pw", "--strata", "region",
            "--psu", "psu", "--ssu", "ssu", "--fpc", "fpc1", "--fpc2", "fpc2", "--lonely-psu", "adjust", "--adjust-domain-lonely", "--total", "value", "--by", "group", "--out", adjusted);
        Assert.True(adjust.Code == 0, adjust.Stderr);
        var adjustedRows = Csv(adjusted);
        var r = Results("multistage_ms_adjust_domain_total_value__mean_group");
        for (int k = 0; k < adjustedRows.Count; k++) Close(r[k].GetProperty("se"), adjustedRows[k]["se"]);
    }

    [Fact]
    public void Ssu_without_the_second_stage_fpc_is_a_usage_error()
    {
        var (code, _, stderr) = Run("estimate", "--data", Path.Combine(RGolden.Folder, "volunteer_2stage.csv"), "--weights", "pw", "--strata", "region",
            "--psu", "psu", "--ssu", "ssu", "--fpc", "fpc1", "--total", "value");
        Assert.Equal(2, code);
        Assert.Contains("--fpc2", stderr);
    }

    [Fact]
    public void Compare_without_an_output_place_or_outside_by_is_a_usage_error()
    {
        var noPlace = Run([.. VolDesign, "--mean", "volunteer", "--by", "sex", "--compare", "sex"]);
        Assert.Equal(2, noPlace.Code);
        Assert.StartsWith("error:", noPlace.Stderr);
        var notBy = Run([.. VolDesign, "--mean", "volunteer", "--by", "sex", "--compare", "age", "--differences", Path.Combine(folder, "d.csv")]);
        Assert.Equal(2, notBy.Code);
        Assert.Contains("--compare age must also be one of the --by variables", notBy.Stderr);
    }
}
