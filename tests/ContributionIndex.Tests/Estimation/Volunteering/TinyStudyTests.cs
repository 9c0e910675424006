using ContributionIndex.Estimation;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;
using ContributionIndex.Tests.Valuation;

namespace ContributionIndex.Tests.Estimation.Volunteering;

/// <summary>
/// A six-person, two-stratum study whose estimates are computed by hand below (each person its own PSU, no fpc,
/// annualisation factor 1, generalist wage 4.5 for every task, 2 LCU per USD, 2,080 full-time hours).
/// </summary>
/// <remarks>
/// <code>
/// person stratum w  sex age volunteer hours form
///   1      A     10  F   20     1       10   organisation
///   2      A     10  M   40     0        0   -
///   3      A     10  F   60     1        4   direct
///   4      B     20  M   25     1        6   organisation
///   5      B     20  F   70     0        0   -
///   6      B     20  M   35     0        0   -
/// Taylor variance of a total: Σ_h n_h/(n_h−1) Σ_i (z_i − z̄_h)², z_i = w_i y_i; df = 6 PSUs − 2 strata = 4.
/// volunteers: z_A = (10, 0, 10): Σdev² = 600/9, ×3/2 = 100; z_B = (20, 0, 0): Σdev² = 2400/9, ×3/2 = 400.
///   total 40, variance 500.  By sex: female 20 (variance 100, only stratum A varies), male 20 (variance 400).
/// hours: z_A = (100, 0, 40): Σdev² = 45600/9, ×3/2 = 7600; z_B = (120, 0, 0): Σdev² = 9600, ×3/2 = 14400.
///   total 260, variance 22000.
/// rate: N̂ = 90, p = 40/90; z_i = w_i(y_i − p)/N̂ = (5, −4, 5)/81 in A, (10, −8, −8)/81 in B;
///   A: dev (3, −6, 3)/81, Σ² = 54/6561, ×3/2 = 1/81; B: dev (12, −6, −6)/81, Σ² = 216/6561, ×3/2 = 4/81; variance 5/81.
/// hours per volunteer: R = 260/40 = 6.5; z_i = w_i(h_i − R y_i)/40 = (7/8, 0, −5/8) in A, (−1/4, 0, 0) in B;
///   A: dev (19, −2, −17)/24, Σ² = 654/576, ×3/2 = 1.703125; B: dev (−1/6, 1/12, 1/12), Σ² = 1/24, ×3/2 = 1/16; variance 1.765625.
/// value (generalist) = 4.5 × hours: 1170, variance 4.5² × 22000 = 445500; in USD ÷ 2: 585, variance 111375.
/// FTE = 260/2080 = 0.125, variance 22000/2080².
/// organisation-based hours share: (10·10 + 20·6)/260 = 220/260; volunteers organisation-based 10 + 20 = 30 of 40.
/// </code>
/// </remarks>
public sealed class TinyStudyTests
{
    private const double Tolerance = 1e-12;

    internal static VolunteerEstimateSet Estimate(ReplicateConversionKind design = ReplicateConversionKind.None)
    {
        var study = TestStudies.OneCountry(TestStudies.ExampleWages, s => s with
        {
            ReferencePeriod = new ContributionIndex.Studies.ReferencePeriodSpec { LengthDays = 28, AnnualisationFactor = 1 },
            Valuation = s.Valuation with { OpportunityCostPolicy = ContributionIndex.Valuation.OpportunityCostPolicy.MinimumWage },
            // The hand calculations are Taylor linearisation.
            Estimation = s.Estimation with { Replicates = s.Estimation.Replicates with { Convert = design } },
        });
        VolunteerRecord Person(string id, string stratum, double weight, Sex sex, int age, double? hours, VolunteeringForm form) =>
            TestStudies.Record(id, hours, weight: weight, volunteered: hours is not null, with: r => r with { Stratum = stratum, Sex = sex, Age = age, Form = form });
        var records = new[]
        {
            Person("1", "A", 10, Sex.Female, 20, 10, VolunteeringForm.OrganisationBased),
            Person("2", "A", 10, Sex.Male, 40, null, VolunteeringForm.Unknown),
            Person("3", "A", 10, Sex.Female, 60, 4, VolunteeringForm.Direct),
            Person("4", "B", 20, Sex.Male, 25, 6, VolunteeringForm.OrganisationBased),
            Person("5", "B", 20, Sex.Female, 70, null, VolunteeringForm.Unknown),
            Person("6", "B", 20, Sex.Male, 35, null, VolunteeringForm.Unknown),
        };
        return VolunteerEstimates.Run(study, InMemoryRecordSource.Of(records), null);
    }

    private static void Check(VolunteerEstimate? actual, double value, double variance)
    {
        Assert.NotNull(actual);
        TestStudies.AssertRelative(value, actual!.Estimate.Value, Tolerance);
        TestStudies.AssertRelative(variance, actual.Estimate.Variance, Tolerance);
    }

    [Fact]
    public void Person_table_has_one_row_per_person_with_flags_and_hours()
    {
        var set = Estimate();
        var table = set.Survey;
        Assert.Equal(6, table.Count);
        Assert.Equal([1.0, 0, 1, 1, 0, 0], table.Variable(PersonVariables.Volunteer).ToArray());
        Assert.Equal([10.0, 0, 4, 6, 0, 0], table.Variable(PersonVariables.AnnualHours).ToArray());
        Assert.Equal([1.0, 0, 0, 1, 0, 0], table.Variable(PersonVariables.VolunteerOrganisation).ToArray());
        Assert.Equal([0.0, 0, 1, 0, 0, 0], table.Variable(PersonVariables.VolunteerDirect).ToArray());
        Assert.Equal(["KZ:A", "KZ:A", "KZ:A", "KZ:B", "KZ:B", "KZ:B"], table.Strata);
        Assert.Equal(["15-29", "30-54", "55-64", "15-29", "65+", "30-54"], table.Domain(PersonVariables.AgeGroup));
        Assert.Equal(0, set.HourLog.Count);
    }

    [Fact]
    public void Whole_population_estimates_match_the_hand_calculation()
    {
        var set = Estimate();
        Check(set.Find("KZ", VolunteerMeasures.Volunteers), 40, 500);
        Check(set.Find("KZ", VolunteerMeasures.AnnualHours), 260, 22000);
        Check(set.Find("KZ", VolunteerMeasures.VolunteerRate), 40.0 / 90, 5.0 / 81);
        Check(set.Find("KZ", VolunteerMeasures.HoursPerVolunteer), 6.5, 1.765625);
        Check(set.Find("KZ", "value_generalist_lcu"), 1170, 445500);
        Check(set.Find("KZ", "value_generalist_usd"), 585, 111375);
        Check(set.Find("KZ", VolunteerMeasures.Fte), 0.125, 22000.0 / (2080.0 * 2080.0));
        TestStudies.AssertRelative(220.0 / 260, set.Find("KZ", VolunteerMeasures.OrganisationHoursShare)!.Estimate.Value, Tolerance);
        TestStudies.AssertRelative(30, set.Find("KZ", VolunteerMeasures.VolunteersOrganisation)!.Estimate.Value, Tolerance);
        var rate = set.Find("KZ", VolunteerMeasures.VolunteerRate)!.Estimate;
        Assert.Equal(4, rate.DegreesOfFreedom);
        Assert.Equal(6, rate.UnweightedCount);
        Assert.Equal(QualityFlag.Suppress, rate.Flag); // n = 6 < 10 under the Statistics Canada rules
        var se = Math.Sqrt(5.0 / 81);
        var t = 2.7764451051977987; // qt(0.975, 4)
        // Study mode gives rates R svyciprop's logit interval: expit(logit p ± t·SE/(p(1 − p))) by hand, which R's glm iteration
        // reaches to its convergence tolerance (1e-8), hence 1e-6 here; the Wald lower bound 4/9 − t·SE would be negative.
        double p = 40.0 / 90, half = t * se / (p * (1 - p));
        TestStudies.AssertRelative(1 / (1 + Math.Exp(-(Math.Log(p / (1 - p)) - half))), rate.ConfidenceLow, 1e-6);
        TestStudies.AssertRelative(1 / (1 + Math.Exp(-(Math.Log(p / (1 - p)) + half))), rate.ConfidenceHigh, 1e-6);
        Assert.True(p - t * se < 0);
    }

    [Fact]
    public void Sex_domains_keep_the_design_whole_and_add_up()
    {
        var set = Estimate();
        Check(set.Find("KZ", VolunteerMeasures.Volunteers, "sex", "female"), 20, 100);
        Check(set.Find("KZ", VolunteerMeasures.Volunteers, "sex", "male"), 20, 400);
        Assert.Equal(4, set.Find("KZ", VolunteerMeasures.Volunteers, "sex", "female")!.Estimate.DegreesOfFreedom);
    }

    [Fact]
    public void Usd_value_is_a_rescaling_with_the_same_cv()
    {
        var set = Estimate();
        var lcu = set.Find("KZ", "value_specialist_lcu")!.Estimate;
        var usd = set.Find("KZ", "value_specialist_usd")!.Estimate;
        TestStudies.AssertRelative(lcu.CoefficientOfVariation, usd.CoefficientOfVariation, 1e-14);
        Assert.Equal(lcu.Flag, usd.Flag);
        Assert.Equal(lcu.UnweightedCount, usd.UnweightedCount);
    }
}
