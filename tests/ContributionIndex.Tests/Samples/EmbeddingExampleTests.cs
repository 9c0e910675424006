using ContributionIndex.Classify;
using ContributionIndex.Samples.Embedding;
using ContributionIndex.Valuation;
using static ContributionIndex.Tests.Valuation.TestStudies;

namespace ContributionIndex.Tests.Samples;

public class EmbeddingExampleTests
{
    /// <summary>
    /// samples/embedding/data/activities.csv by hand (k = 13; wages 3422 → 6.00, 9129 → 3.00, 2341 → climbs to major
    /// group 2 → 7.50; generalist 4.50; minimum wage 2.00; H_FT 2,080):
    ///   P003 has 0.5 h in total → below the one-hour minimum (excluded).
    ///   P005: 12 h × 6.00 = 72 of market value; stipend 30 ≥ 72/3 = 24 → paid (excluded).
    ///   Valued: P001 10 h × 100,000; P002 5 h × 100,000; P004 6 h (2341) + 2 h (9129) × 20,000.
    ///   H_ref  = 1,000,000 + 500,000 + 120,000 + 40,000 = 1,660,000;  H_year = 21,580,000;  FTE = 10,375
    ///   V_spec = 13 × (6,000,000 + 1,500,000 + 900,000 + 120,000) = 13 × 8,520,000 = 110,760,000
    ///   V_gen  = 21,580,000 × 4.5 = 97,110,000
    ///   V_hyb  = V_spec = 110,760,000: the tasks of group 9 (9129) are valued at the wage of major group 9, and the
    ///            table has none, so they keep their specialist wage (methodology/valuation.md §3, #16)
    ///   V_oc   = 13 × (1,500,000 × 2.00 + 160,000 × 8.50) = 13 × 4,360,000 = 56,680,000
    /// </summary>
    [Fact]
    public void Library_api_example_values_its_dataset()
    {
        var output = Path.Combine(Path.GetTempPath(), "ci-value-tests", Guid.NewGuid().ToString("N"));
        var log = new StringWriter();
        var run = EmbeddingExample.Run(output, log);
        var result = run.Valuation;

        var counts = Assert.Single(result.Inputs);
        Assert.Equal(6, counts.Read);
        Assert.Equal(4, counts.Valued);
        Assert.Equal(1, counts.Excluded[ExclusionReason.BelowMinimumHours]);
        Assert.Equal(1, counts.Excluded[ExclusionReason.PaidStipend]);

        var kz = result.Summaries.Single(s => s.Country == "KZ");
        AssertRelative(1_660_000, kz.HoursReference);
        AssertRelative(21_580_000, kz.HoursAnnual);
        AssertRelative(10_375, kz.Fte);
        AssertRelative(220_000, kz.Volunteers);
        AssertRelative(110_760_000, kz[ValuationMethod.Specialist].ValueLcuBase);
        AssertRelative(97_110_000, kz[ValuationMethod.Generalist].ValueLcuBase);
        AssertRelative(110_760_000, kz[ValuationMethod.Hybrid].ValueLcuBase);
        AssertRelative(56_680_000, kz[ValuationMethod.Opportunity].ValueLcuBase);
        Assert.True(File.Exists(Path.Combine(output, "valuation", "summary.csv")));
        Assert.True(File.Exists(Path.Combine(output, "valuation", "valued_records.csv")));

        // The estimation stage of the same run: the annual-hours total is the valuation's, now with a standard error.
        var hours = run.Estimates.Find("KZ", ContributionIndex.Estimation.Volunteering.VolunteerMeasures.AnnualHours)!.Estimate;
        AssertRelative(21_580_000, hours.Value);
        Assert.True(hours.StandardError > 0);
        Assert.NotEmpty(Directory.GetFiles(output, "*-T1.csv", SearchOption.AllDirectories));
        Assert.Contains("annex: T1, T2, T3, T4, T5", log.ToString());
        Assert.Contains("FTE 10375", log.ToString());
        Assert.Contains("specialist   110760000 XXX", log.ToString());
    }
}
