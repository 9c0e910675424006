using System.Globalization;
using ContributionIndex.Cli;
using ContributionIndex.Diagnostics;
using ContributionIndex.Estimation;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Pipeline;
using ContributionIndex.Studies;
using ContributionIndex.Tests.Ingest;
using ContributionIndex.Tests.Samples;

namespace ContributionIndex.Tests.Estimation.Volunteering;

/// <summary>
/// Issue #19 in study mode against R survey 4.1-1 (tests/r/golden-study-inference.R): the annex's pairwise differences
/// (sexes: svyby(covmat = TRUE) + svycontrast; countries: independent samples) and estimates after study-file
/// calibration (R calibrate(), Taylor and JKn, linear, raking and bounded logit), to 1e-9 relative.
/// </summary>
public sealed class StudyInferenceParityTests
{
    private const double Tolerance = 1e-9;

    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "estimation");

    private static Study Fixture(string file = "study_inference.yaml") => StudyLoader.Load(Path.Combine(Folder, file));

    private static Study WithDesign(Study study, string design) => study with
    {
        Estimation = study.Estimation with
        {
            Replicates = study.Estimation.Replicates with { Convert = design == "taylor" ? ReplicateConversionKind.None : ReplicateConversionKind.Jkn },
        },
    };

    /// <summary>The golden CSV's rows as header → text.</summary>
    private static List<Dictionary<string, string>> Golden(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(Folder, file));
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Where(l => l.Length > 0).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal))];
    }

    private static void Close(double expected, double actual, string what, double absolute = 0) =>
        Assert.True(Math.Abs(expected - actual) <= Math.Max(Tolerance * Math.Abs(expected), absolute), $"{what}: R {expected:R}, C# {actual:R}");

    [Theory]
    [InlineData("taylor")]
    [InlineData("jkn")]
    public void Differences_between_sexes_and_countries_match_R(string design)
    {
        var comparisons = StudyRun.Of(WithDesign(Fixture(), design)).Comparisons;
        var rows = Golden("study_differences_golden.csv").Where(r => r["design"] == design).ToList();
        Assert.Equal(8, rows.Count);
        Assert.Equal(rows.Count, comparisons.Count);
        foreach (var r in rows)
        {
            var what = $"{design} {r["scope"]} {r["measure"]} {r["compare"]} {r["level_a"]}/{r["level_b"]}";
            var c = comparisons.Single(x => x.Scope == r["scope"] && x.Measure == r["measure"] && x.Compare == r["compare"]
                && new[] { x.LevelA, x.LevelB }.Order(StringComparer.Ordinal).SequenceEqual(new[] { r["level_a"], r["level_b"] }.Order(StringComparer.Ordinal)));
            // R's pair is b − a in its own order; ours may list the levels the other way round.
            double sign = c.LevelA == r["level_a"] ? 1 : -1;
            Close(RGolden.Number(r["difference"]), sign * c.Difference, what + " difference");
            Close(RGolden.Number(r["se"]), c.StandardError, what + " SE");
            Assert.Equal(RGolden.Number(r["df"]), c.DegreesOfFreedom);
            Close(RGolden.Number(r["p"]), c.P, what + " p", absolute: 1e-12);
            Assert.Equal(RGolden.Number(r["p"]) < 0.05, c.Significant);
        }
    }

    /// <summary>
    /// <c>contrib estimate STUDY</c> writes comparisons.csv: every pair of the run, with the R golden's difference, SE,
    /// df and p (the fixture's own design, JKn), read back from the file as a user would.
    /// </summary>
    [Fact]
    public void Contrib_estimate_writes_comparisons_csv_that_matches_R()
    {
        var folder = SampleStudies.NewTemporaryFolder();
        try
        {
            var study = Path.Combine(folder, "study_inference.yaml");
            CopyFixture(folder);
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var code = Program.Run(["estimate", study, "--out", Path.Combine(folder, "out")], stdout, stderr);
            Assert.True(code == ExitCodes.Success, stderr.ToString());
            Assert.Contains("comparisons: 8 pairs,", stdout.ToString(), StringComparison.Ordinal);
            var lines = File.ReadAllLines(Path.Combine(folder, "out", "comparisons.csv"));
            Assert.Equal(VolunteerComparisonsCsv.Header, lines[0]);
            var header = lines[0].Split(',');
            var written = lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal)).ToList();
            var golden = Golden("study_differences_golden.csv").Where(r => r["design"] == "jkn").ToList();
            Assert.Equal(golden.Count, written.Count);
            foreach (var r in golden)
            {
                var what = $"{r["scope"]} {r["measure"]} {r["compare"]} {r["level_a"]}/{r["level_b"]}";
                var w = written.Single(x => x["scope"] == r["scope"] && x["measure"] == r["measure"] && x["compare"] == r["compare"]
                    && new[] { x["level_a"], x["level_b"] }.Order(StringComparer.Ordinal).SequenceEqual(new[] { r["level_a"], r["level_b"] }.Order(StringComparer.Ordinal)));
                double sign = w["level_a"] == r["level_a"] ? 1 : -1;
                Close(RGolden.Number(r["difference"]), sign * Parse(w["difference"]), what + " difference");
                Close(RGolden.Number(r["se"]), Parse(w["se"]), what + " SE");
                Assert.Equal(RGolden.Number(r["df"]), Parse(w["df"]));
                Close(RGolden.Number(r["p"]), Parse(w["p"]), what + " p", absolute: 1e-12);
                Assert.Equal(RGolden.Number(r["p"]) < 0.05 ? "yes" : "no", w["significant"]);
                // The interval is the difference ± t(df)·SE and excludes 0 exactly when the pair is significant.
                var (low, high) = (Parse(w["ci_low"]), Parse(w["ci_high"]));
                Assert.Equal(Parse(w["difference"]), (low + high) / 2, 1e-9 * Math.Max(1, Math.Abs(Parse(w["difference"]))));
                Assert.Equal(w["significant"] == "yes", low > 0 || high < 0);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        static double Parse(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData("linear", "taylor")]
    [InlineData("raking", "jkn")]
    [InlineData("logit", "jkn")]
    public void Estimates_after_study_file_calibration_match_R(string calfun, string design)
    {
        var fixture = Fixture();
        var study = WithDesign(fixture, design) with
        {
            Estimation = WithDesign(fixture, design).Estimation with
            {
                Calibration = new CalibrationSpec
                {
                    Margins = new Dictionary<string, string>(StringComparer.Ordinal) { ["KZ"] = "study_inference_margins_kz.csv", ["KG"] = "study_inference_margins_kg.csv" },
                    Calfun = StudyChoices.Parse<CalibrationFunction>(calfun, "calfun", SourceLocation.OfFile("test")),
                    Bounds = calfun == "logit" ? [0.5, 2] : [],
                },
            },
        };
        Compare(StudyRun.Of(study).Estimates, calfun);
    }

    [Fact]
    public void A_study_file_calibration_block_is_read_and_gives_R_raked_estimates()
    {
        var study = Fixture("study_inference_calibrated.yaml");
        Assert.Equal(CalibrationFunction.Raking, study.Estimation.Calibration!.Calfun);
        Compare(StudyRun.Of(study).Estimates, "raking");
    }

    [Fact]
    public void Calibration_changes_the_weights_of_every_stage()
    {
        var plain = StudyRun.Of(Fixture());
        var calibrated = StudyRun.Load(Path.Combine(Folder, "study_inference_calibrated.yaml"));
        // The calibrated design reproduces KZ's population margin exactly; the survey weights do not.
        double population = File.ReadAllLines(Path.Combine(Folder, "study_inference_margins_kz.csv")).Skip(1)
            .Where(l => l.StartsWith("sex,", StringComparison.Ordinal)).Sum(l => double.Parse(l.Split(',')[2], System.Globalization.CultureInfo.InvariantCulture));
        // Raking stops at a relative misfit below 1e-7 (R grake's epsilon).
        Assert.Equal(population, calibrated.Estimates.Find("KZ", VolunteerMeasures.Population)!.Estimate.Value, population * 1e-7);
        Assert.NotEqual(population, plain.Estimates.Find("KZ", VolunteerMeasures.Population)!.Estimate.Value, 0);
        // The annex comparisons come from the calibrated estimates.
        var rate = calibrated.Comparisons.Single(c => c.Scope == "KZ" && c.Measure == VolunteerMeasures.VolunteerRate);
        var female = calibrated.Estimates.Find("KZ", VolunteerMeasures.VolunteerRate, "sex", "female")!.Estimate.Value;
        var male = calibrated.Estimates.Find("KZ", VolunteerMeasures.VolunteerRate, "sex", "male")!.Estimate.Value;
        Assert.Equal(rate.LevelA == "female" ? male - female : female - male, rate.Difference, 12);
    }

    private static void Compare(VolunteerEstimateSet set, string variant)
    {
        var rows = Golden("study_calibration_golden.csv").Where(r => r["variant"] == variant).ToList();
        Assert.Equal(18, rows.Count);
        foreach (var r in rows)
        {
            var what = $"{variant} {r["scope"]} {r["measure"]} {r["domain"]}={r["domain_value"]}";
            var e = set.Find(r["scope"], r["measure"], r["domain"], r["domain_value"])?.Estimate;
            Assert.True(e is not null, what + ": no estimate");
            Close(RGolden.Number(r["estimate"]), e!.Value, what + " estimate");
            Close(RGolden.Number(r["se"]), e.StandardError, what + " SE");
            Assert.Equal(RGolden.Number(r["df"]), e.DegreesOfFreedom);
        }
    }

    [Theory]
    [InlineData("region,East,100\n", "study_inference_margins_kz.csv:10:", "has no sample rows")]
    [InlineData("", "study_inference_margins_kz.csv:4:", "add up to")]
    [InlineData("place,North,100\n", "study_inference_margins_kz.csv:10:", "'place' is not a person variable")]
    public void Margins_that_do_not_fit_the_data_are_named_by_line_and_column(string extraLine, string where, string message)
    {
        using var dir = new TempDirectory();
        CopyFixture(dir.Path);
        var kz = Path.Combine(dir.Path, "study_inference_margins_kz.csv");
        var text = File.ReadAllText(kz);
        // No extra line: break the age totals so that they no longer add up to the sex totals.
        File.WriteAllText(kz, extraLine.Length > 0 ? text + extraLine : text.Replace("age_group,15-29,", "age_group,15-29,1", StringComparison.Ordinal));
        var yaml = Path.Combine(dir.Path, "study_inference.yaml");
        File.AppendAllText(yaml, "  calibration:\n    margins:\n      KZ: study_inference_margins_kz.csv\n      KG: study_inference_margins_kg.csv\n");
        var error = Assert.ThrowsAny<ContributionIndexException>(() => StudyRun.Load(yaml).Estimates);
        Assert.True(error.Message.Contains(where, StringComparison.Ordinal) && error.Message.Contains(message, StringComparison.Ordinal), error.Message);
    }

    [Theory]
    [InlineData("    calfun: logit\n", "calfun", "finite bounds")]
    [InlineData("    calfun: raking\n    bounds: [1.5, 2]\n", "bounds", "must enclose 1")]
    [InlineData("    trim: [2, 1]\n", "trim", "L ≤ U")]
    [InlineData("    calfun: greg\n", "calfun", "greg")]
    public void Unusable_calibration_settings_are_named_by_line_and_column(string settings, string key, string message)
    {
        using var dir = new TempDirectory();
        CopyFixture(dir.Path);
        var yaml = Path.Combine(dir.Path, "study_inference.yaml");
        File.AppendAllText(yaml, "  calibration:\n    margins:\n      KZ: study_inference_margins_kz.csv\n      KG: study_inference_margins_kg.csv\n" + settings);
        int line = File.ReadAllLines(yaml).ToList().FindIndex(l => l.TrimStart().StartsWith(key + ":", StringComparison.Ordinal)) + 1;
        var error = Assert.Throws<StudyFileException>(() => StudyLoader.Load(yaml));
        Assert.True(error.Message.Contains($"study_inference.yaml:{line}:", StringComparison.Ordinal) && error.Message.Contains(message, StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void A_survey_country_without_margins_is_an_error()
    {
        using var dir = new TempDirectory();
        CopyFixture(dir.Path);
        var yaml = Path.Combine(dir.Path, "study_inference.yaml");
        File.AppendAllText(yaml, "  calibration:\n    margins:\n      KZ: study_inference_margins_kz.csv\n");
        var error = Assert.Throws<StudyFileException>(() => StudyLoader.Load(yaml));
        Assert.True(error.Message.Contains("KG has no margins file", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void A_cross_classified_margin_post_stratifies_to_its_cells()
    {
        // sex:region cells: linear calibration on one cell factor is post-stratification (g = N_cell / N̂_cell), so the
        // calibrated population of each sex and each region is the sum of its cells' totals.
        using var dir = new TempDirectory();
        CopyFixture(dir.Path);
        var cells = "variable,level,total\nsex:region,female:North,9000\nsex:region,female:South,11000\nsex:region,male:North,8500\nsex:region,male:South,10500\n";
        File.WriteAllText(Path.Combine(dir.Path, "study_inference_margins_kz.csv"), cells);
        File.WriteAllText(Path.Combine(dir.Path, "study_inference_margins_kg.csv"), cells);
        var yaml = Path.Combine(dir.Path, "study_inference.yaml");
        File.AppendAllText(yaml, "  calibration:\n    margins:\n      KZ: study_inference_margins_kz.csv\n      KG: study_inference_margins_kg.csv\n");
        var estimates = StudyRun.Load(yaml).Estimates;
        foreach (var scope in new[] { "KZ", "KG" })
        {
            Close(20000, estimates.Find(scope, VolunteerMeasures.Population, "sex", "female")!.Estimate.Value, scope + " women");
            Close(19000, estimates.Find(scope, VolunteerMeasures.Population, "sex", "male")!.Estimate.Value, scope + " men");
            Close(17500, estimates.Find(scope, VolunteerMeasures.Population, "region", "North")!.Estimate.Value, scope + " North");
            Close(21500, estimates.Find(scope, VolunteerMeasures.Population, "region", "South")!.Estimate.Value, scope + " South");
        }

        Close(78000, estimates.Find(VolunteerEstimates.RegionalScope, VolunteerMeasures.Population)!.Estimate.Value, "pool");
    }

    private static void CopyFixture(string folder)
    {
        foreach (var f in new[] { "study_inference.yaml", "study_inference_kz.csv", "study_inference_kg.csv", "study_inference_margins_kz.csv", "study_inference_margins_kg.csv" })
            File.Copy(Path.Combine(Folder, f), Path.Combine(folder, f));
    }
}
