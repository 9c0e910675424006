using ContributionIndex.Estimation;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Studies;
using ContributionIndex.Tests.Valuation;

namespace ContributionIndex.Tests.Estimation.Volunteering;

/// <summary>Indicators from survey totals and the index's replicate errors, checked against hand values and independent formulas.</summary>
public sealed class IndicatorEstimatesTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "estimation");

    [Fact]
    public void Tiny_study_indicators_match_the_hand_values_and_the_engines_replicate_errors()
    {
        // The six persons of TinyStudyTests: 40 volunteers of 90, 260 hours, women 20 of 40 volunteers and 40 of 90
        // persons, youth (15-29) 30 of 40 volunteers and 30 of 90 persons; value 4.5 × 260 = 1170 against GDP 1e9.
        var set = TinyStudyTests.Estimate(ReplicateConversionKind.Jkn);
        var study = TestStudies.OneCountry(TestStudies.ExampleWages);
        var indicators = VolunteerIndicatorEstimates.Compute(set, study);
        double Value(string code) => indicators.Find("KZ", code)!.Value;
        TestStudies.AssertRelative(100 * 40.0 / 90, Value("soc_participation"), 1e-12);
        TestStudies.AssertRelative(6.5, Value("soc_hours_per_volunteer"), 1e-12);
        TestStudies.AssertRelative((20.0 / 40) / (40.0 / 90), Value("soc_women_ratio"), 1e-12);
        TestStudies.AssertRelative((30.0 / 40) / (30.0 / 90), Value("soc_youth_ratio"), 1e-12);
        TestStudies.AssertRelative(100 * 1170 / 1e9, Value("econ_value_gdp"), 1e-12);
        TestStudies.AssertRelative(1000 * (260.0 / 2080) / 90, Value("econ_fte_per_1000"), 1e-12);
        TestStudies.AssertRelative(100 * 220.0 / 260, Value("soc_formal_share"), 1e-12);
        Assert.True(double.IsNaN(Value("hc_retention")));
        Assert.NotEmpty(indicators.Find("KZ", "hc_retention")!.Note);

        // The replicates are JKn built from the Taylor design; the rate and the ratio must carry exactly the errors the
        // engine's svymean and svyratio give on that replicate design (R parity of both is in RParityTests).
        var jkn = (ReplicateDesign)set.DesignOf("KZ")!; // the study's one design: JKn built from strata and PSUs (convert: auto)
        var all = DomainPartition.Whole(set.Survey.Count);
        var mean = SurveyEstimator.Mean(jkn, "volunteer", set.Survey.Variable(PersonVariables.Volunteer), all)[0];
        TestStudies.AssertRelative(100 * mean.StandardError, indicators.Find("KZ", "soc_participation")!.StandardError, 1e-12);
        var ratio = SurveyEstimator.Ratio(jkn, "h", set.Survey.Variable(PersonVariables.AnnualHours), "v", set.Survey.Variable(PersonVariables.Volunteer), all)[0];
        TestStudies.AssertRelative(ratio.StandardError, indicators.Find("KZ", "soc_hours_per_volunteer")!.StandardError, 1e-12);
        Assert.Equal(jkn.DegreesOfFreedom, indicators.Find("KZ", "soc_participation")!.DegreesOfFreedom);
    }

    [Fact]
    public void Index_errors_equal_the_linear_combination_of_indicator_covariances_when_nothing_is_clipped()
    {
        // With goalposts wide enough that no value is clipped, the bounded index is linear in the raw indicators:
        // I = Σ a_i x_i with a_i = (1/#pillars)(1/#indicators in the pillar)·100/upper_i, so Var I = Σ_i Σ_j a_i a_j Cov(x_i, x_j),
        // each covariance from the country's own replicates (ReplicateVariance.Covariance).
        var study = StudyLoader.Load(Path.Combine(Folder, "two_country_study.yaml"));
        var estimates = VolunteerEstimates.Run(study);
        var indicators = VolunteerIndicatorEstimates.Compute(estimates, study);
        var index = VolunteerIndex.Compute(study, indicators);
        var codes = new[] { "econ_value_gdp", "econ_fte_per_1000", "soc_participation", "soc_hours_per_volunteer", "soc_women_ratio", "soc_youth_ratio" };
        var a = new[] { 0.25 * 100 / 1000, 0.25 * 100 / 1000, 0.125 * 100 / 1000, 0.125 * 100 / 10000, 0.125 * 100 / 100, 0.125 * 100 / 100 };
        Assert.Equal(["KG", "KZ"], index.Result.Units.Order(StringComparer.Ordinal));
        for (int u = 0; u < 2; u++)
        {
            var unit = index.Result.Units[u];
            var x = codes.Select(c => indicators.Find(unit, c)!).ToArray();
            TestStudies.AssertRelative(x.Select((e, i) => a[i] * e.Value).Sum(), index.Result.IndexScore(u), 1e-12);
            var design = indicators.Designs[unit];
            double variance = 0;
            for (int i = 0; i < codes.Length; i++)
            {
                for (int j = 0; j < codes.Length; j++)
                {
                    variance += a[i] * a[j] * ReplicateVariance.Covariance(x[i].Value, x[i].Replicates.ToArray(), x[j].Value, x[j].Replicates.ToArray(),
                        design.Scale, design.RScales, design.Mse);
                }
            }

            TestStudies.AssertRelative(Math.Sqrt(variance), index.StandardErrors[u], 1e-9);
        }
    }
}
