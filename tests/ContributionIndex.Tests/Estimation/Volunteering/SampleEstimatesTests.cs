using ContributionIndex.Estimation;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Ingest;
using ContributionIndex.Studies;
using ContributionIndex.Tests.Samples;
using Xunit.Abstractions;

namespace ContributionIndex.Tests.Estimation.Volunteering;

/// <summary>Consistency checks of study-mode estimates on the committed Central Asia samples.</summary>
public sealed class SampleEstimatesTests(ITestOutputHelper output)
{
    private static readonly Lazy<VolunteerEstimateSet> Regional = new(() => VolunteerEstimates.Run(StudyLoader.Load(SampleStudies.Study("regional"))));

    private static void Close(double expected, double actual, double tolerance = 1e-12) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");

    [Theory]
    [InlineData("sex")]
    [InlineData("age_group")]
    [InlineData("youth")]
    [InlineData("region")]
    [InlineData("urban_rural")]
    [InlineData("employment_status")]
    public void Domain_totals_add_up_to_the_country_total(string domain)
    {
        var set = Regional.Value;
        foreach (var country in set.Countries)
        {
            foreach (var measure in new[] { VolunteerMeasures.Population, VolunteerMeasures.Volunteers, VolunteerMeasures.AnnualHours, "value_specialist_lcu" })
            {
                var whole = set.Find(country, measure)!.Estimate.Value;
                var parts = set.ByDomain(country, measure, domain);
                Assert.NotEmpty(parts);
                // Every person of the samples has a known sex, age, region, residence and status, so the domains partition the population.
                Close(whole, parts.Sum(p => p.Estimate.Value));
            }
        }
    }

    [Fact]
    public void The_regional_pool_is_the_sum_of_independent_countries()
    {
        var set = Regional.Value;
        Assert.Equal(["KZ", "KG", "TJ", "UZ"], set.Countries);
        foreach (var measure in new[] { VolunteerMeasures.Volunteers, VolunteerMeasures.AnnualHours, VolunteerMeasures.Fte, "value_specialist_usd" })
        {
            var pooled = set.Find(VolunteerEstimates.RegionalScope, measure)!.Estimate;
            var countries = set.Countries.Select(c => set.Find(c, measure)!.Estimate).ToList();
            Close(countries.Sum(e => e.Value), pooled.Value, 1e-12);
            // Strata are prefixed by country, so the pooled variance of a total is the sum of the countries' variances.
            Close(countries.Sum(e => e.Variance), pooled.Variance, 1e-10);
        }
    }

    [Fact]
    public void Activity_breakdowns_add_up_to_the_total_hours()
    {
        var set = Regional.Value;
        var whole = set.Find("KZ", VolunteerMeasures.AnnualHours)!.Estimate.Value;
        foreach (var classification in new[] { "form", "isco_major_group", "direction", "sdg" })
            Close(whole, set.ByDomain("KZ", VolunteerMeasures.AnnualHours, classification).Sum(e => e.Estimate.Value), 1e-11);
    }

    [Fact]
    public void Hour_logs_are_administrative_totals()
    {
        var set = Regional.Value;
        var log = set.Find("KZ", VolunteerMeasures.AnnualHours, source: InputKind.HourLog)!;
        Assert.True(log.IsAdministrative);
        Assert.True(double.IsNaN(log.Estimate.StandardError));
        Assert.Equal(set.HourLog.Rows(i => set.HourLog.Countries[i] == "KZ").Variable(PersonVariables.AnnualHours).ToArray().Sum(), log.Estimate.Value, 1e-9);
        var rate = set.Find("KZ", VolunteerMeasures.VolunteerRate)!.Estimate;
        output.WriteLine($"KZ volunteer rate {rate.Value:R} SE {rate.StandardError:R} CV {rate.CoefficientOfVariation:R} df {rate.DegreesOfFreedom} n {rate.UnweightedCount} flag {rate.Flag}");
        Assert.InRange(rate.Value, 0.05, 0.6);
    }
}
