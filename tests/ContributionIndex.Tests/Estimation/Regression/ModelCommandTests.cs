using System.Globalization;
using System.Text.Json;
using ContributionIndex.Cli;
using ContributionIndex.Estimation;
using ContributionIndex.Estimation.Regression;
using ContributionIndex.Tests.Ingest;

namespace ContributionIndex.Tests.Estimation.Regression;

/// <summary><c>contrib model</c>: the CSV it writes carries R's svyglm numbers, and wrong formulas or data give one error line and the named exit code.</summary>
public sealed class ModelCommandTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "regression");

    internal static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("persons_fpc-binomial-volunteer_sex_age_educ-", new[] { "--strata", "region", "--psu", "psu", "--fpc", "popsize" })]
    [InlineData("persons_jkn-poisson-events_sex_age-where_rural", new[] { "--strata", "region", "--psu", "psu", "--rep-type", "jkn", "--where", "urban=rural" })]
    [InlineData("persons_boot-gaussian-hours_age_sex_educ-", new[] { "--repweights", "rep*", "--rep-type", "bootstrap" })]
    public void The_coefficient_csv_has_Rs_svyglm_table(string id, string[] design)
    {
        var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "golden-model.json"))).RootElement
            .GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "coef.csv");
        var args = new List<string> { "model", "--data", Path.Combine(Folder, "persons.csv"), "--weights", "pw" };
        args.AddRange(design);
        args.AddRange(["--formula", golden.GetProperty("formula").GetString()!, "--family", golden.GetProperty("family").GetString()!, "--out", path]);
        var (code, output, error) = Run([.. args]);
        Assert.Equal("", error);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("coefficients", output);
        var lines = File.ReadAllLines(path);
        Assert.Equal("term,estimate,se,t,df,p", lines[0]);
        var terms = golden.GetProperty("terms").EnumerateArray().Select(t => t.GetString()!).ToArray();
        Assert.Equal(terms.Length + 1, lines.Length);
        for (int j = 0; j < terms.Length; j++)
        {
            var fields = lines[j + 1].Split(',');
            Assert.Equal(terms[j], fields[0]);
            string[] keys = ["estimate", "se", "t"];
            for (int k = 0; k < keys.Length; k++)
            {
                double expected = RGolden.Number(golden.GetProperty(keys[k])[j]);
                double actual = double.Parse(fields[k + 1], CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(actual - expected) <= 1e-9 * Math.Abs(expected), $"{terms[j]} {keys[k]}: R {expected:R}, csv {actual:R}");
            }
            Assert.Equal(RGolden.Number(golden.GetProperty("df")), double.Parse(fields[4], CultureInfo.InvariantCulture));
        }
    }

    [Theory]
    [InlineData("volunteer ~ sex - 1", "removing terms or the intercept")]
    [InlineData("volunteer sex + age", "exactly one '~'")]
    [InlineData("volunteer ~ sex + ", "a '+' has no term")]
    [InlineData("volunteer ~ sex*age:urban", "mixes '*' and ':'")]
    [InlineData("volunteer ~ volunteer + sex", "also a predictor")]
    public void A_malformed_formula_is_a_usage_error(string formula, string expected)
    {
        var (code, output, error) = Run("model", "--data", Path.Combine(Folder, "persons.csv"), "--weights", "pw", "--formula", formula);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.StartsWith("error: The formula", error);
        Assert.Contains(expected, error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.Equal("", output);
    }

    [Theory]
    [InlineData("volunteer ~ sex + nosuch", "gaussian", "the model column 'nosuch' is not in the header")]
    [InlineData("sex ~ age", "gaussian", "The response 'sex' is not numeric")]
    [InlineData("hours ~ age", "binomial", "needs values between 0 and 1")]
    public void Data_that_do_not_fit_the_model_are_rejected_with_one_line(string formula, string family, string expected)
    {
        var (code, _, error) = Run("model", "--data", Path.Combine(Folder, "persons.csv"), "--weights", "pw", "--formula", formula, "--family", family);
        Assert.Equal(ExitCodes.DataRejected, code);
        Assert.Contains(expected, error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void A_collinear_column_is_named_instead_of_an_NA_coefficient()
    {
        // fpc is constant within stype in apistrat, so it is a combination of the intercept and the stype indicators.
        var (code, _, error) = Run("model", "--data", Path.Combine(Folder, "apistrat.csv"), "--weights", "pw", "--strata", "stype", "--formula", "api00 ~ stype + fpc");
        Assert.Equal(ExitCodes.DataRejected, code);
        Assert.Contains("The model column 'fpc' is a linear combination", error);
    }

    [Fact]
    public void Model_without_data_or_weights_is_a_usage_error()
    {
        var (code, _, error) = Run("model", "--formula", "y ~ x");
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("needs --data FILE and --weights COL", error);
    }
}

/// <summary>The formula parser and model matrix follow R's <c>terms</c> and <c>model.matrix</c> conventions.</summary>
public sealed class ModelFormulaTests
{
    [Fact]
    public void Crossing_expands_to_every_subset_ordered_by_degree()
    {
        var f = ModelFormula.Parse("y ~ a*b*c + d");
        Assert.Equal(["a", "b", "c", "d", "a:b", "a:c", "b:c", "a:b:c"], f.Terms.Select(ModelFormula.Label).ToArray());
    }

    [Fact]
    public void Interaction_variables_follow_their_first_appearance_and_duplicates_are_dropped()
    {
        var f = ModelFormula.Parse("y ~ b:a + a + b + a:b");
        Assert.Equal(["a", "b", "b:a"], f.Terms.Select(ModelFormula.Label).ToArray());
        Assert.Equal("y", f.Response);
    }

    [Fact]
    public void A_factor_without_its_margin_in_the_model_gets_all_its_levels()
    {
        // R: model.matrix(~ x + g:x) has g1:x and g2:x (no contrast for g, whose margin x:… is x itself, present) —
        // and model.matrix(~ x:g) codes g fully as well; treatment coding needs the term without g earlier in the model.
        var g = new ModelVariable("g", new double[4], ["u", "v", "u", "v"], isNumeric: false);
        var x = new ModelVariable("x", [1, 2, 3, 4], ["1", "2", "3", "4"], isNumeric: true);
        var y = new ModelVariable("y", [1, 0, 1, 1], ["1", "0", "1", "1"], isNumeric: true);
        var variables = new Dictionary<string, ModelVariable> { ["g"] = g, ["x"] = x, ["y"] = y };
        var full = ModelMatrix.Build(ModelFormula.Parse("y ~ g:x"), variables, [0, 1, 2, 3], ModelFamily.Gaussian);
        Assert.Equal(["(Intercept)", "gu:x", "gv:x"], full.Names);
        Assert.Equal([1, 0, 3, 0], full.Columns[1]);
        var contrasts = ModelMatrix.Build(ModelFormula.Parse("y ~ x + g + g:x"), variables, [0, 1, 2, 3], ModelFamily.Gaussian);
        Assert.Equal(["(Intercept)", "x", "gv", "x:gv"], contrasts.Names);
        Assert.Equal([0, 2, 0, 4], contrasts.Columns[3]);
    }
}

/// <summary><c>contrib estimate --calibrate</c>: the CLI passes margins, distance, bounds and trimming through, and refuses unusable ones.</summary>
public sealed class CalibrateCommandTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "regression");

    private static (int Code, string Out, string Err) Run(params string[] args) => ModelCommandTests.Run(args);

    [Fact]
    public void Raking_with_bounds_from_the_command_line_gives_Rs_total()
    {
        var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "golden-calibration.json"))).RootElement
            .GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "persons_fpc-raking_bounds-total-hours-all");
        var (code, output, error) = Run("estimate", "--data", Path.Combine(Folder, "persons.csv"), "--weights", "pw", "--strata", "region", "--psu", "psu", "--fpc", "popsize",
            "--total", "hours", "--calibrate", Path.Combine(Folder, "margins.csv"), "--calfun", "raking", "--bounds", "0.82,1.38");
        Assert.Equal("", error);
        Assert.Equal(ExitCodes.Success, code);
        var fields = output.Split('\n')[1].Split(',');
        Assert.Equal(RGolden.Number(golden.GetProperty("estimate")[0]), double.Parse(fields[2], CultureInfo.InvariantCulture), 1e-9 * 4e5);
        Assert.Equal(RGolden.Number(golden.GetProperty("se")[0]), double.Parse(fields[3], CultureInfo.InvariantCulture), 1e-9 * 3e4);
    }

    [Theory]
    [InlineData("logit", null, "Logit calibration needs finite bounds")]
    [InlineData("linear", "1.2,2", "must enclose 1")]
    public void Unusable_calibration_settings_are_usage_errors(string calfun, string? bounds, string expected)
    {
        var args = new List<string> { "estimate", "--data", Path.Combine(Folder, "persons.csv"), "--weights", "pw", "--total", "hours", "--calibrate", Path.Combine(Folder, "margins.csv"), "--calfun", calfun };
        if (bounds is not null) args.AddRange(["--bounds", bounds]);
        var (code, _, error) = Run([.. args]);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void A_sample_level_without_a_population_total_is_named()
    {
        using var dir = new TempDirectory();
        var margins = Path.Combine(dir.Path, "m.csv");
        File.WriteAllText(margins, "variable,level,total\nsex,F,100\nage,15-29,40\nage,30-54,30\nage,55+,30\n");
        var (code, _, error) = Run("estimate", "--data", Path.Combine(Folder, "persons.csv"), "--weights", "pw", "--total", "hours", "--calibrate", margins);
        Assert.Equal(ExitCodes.DataRejected, code);
        Assert.Contains("The sample has sex=M but the margins file gives no population total for it", error);
    }
}
