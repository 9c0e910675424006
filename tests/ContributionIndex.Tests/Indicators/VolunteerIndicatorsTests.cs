using ContributionIndex.Indicators;

namespace ContributionIndex.Tests.Indicators;

public class VolunteerIndicatorsTests
{
    [Fact]
    public void Economic_indicators_by_hand()
    {
        // O13 (methodology-sources §9, synthetic): H = 19,500,000 h, full-time year 2,080 h → FTE 9,375.0.
        Assert.Equal(9375.0, VolunteerIndicators.FullTimeEquivalents(19_500_000, 2080), 12);
        // V_spec 97,500,000 against a GDP of 119,442,289.7 mn = 1.194422897e14: 100·9.75e7/1.194422897e14 = 8.1629...e-5 %.
        Assert.Equal(8.162938e-5, VolunteerIndicators.ValueShareOfGdp(97_500_000, 119_442_289_700_000), 1e-11);
        Assert.Throws<ArgumentOutOfRangeException>(() => VolunteerIndicators.ValueShareOfGdp(1, 0));
    }

    [Fact]
    public void Social_indicators_by_hand()
    {
        // O1: Tajikistan 2016, direct 97,642 of 105,122 volunteers → direct share 92.8845 %.
        Assert.Equal(92.8845, VolunteerIndicators.SharePercent(97_642, 105_122), 4);
        // 105,122 volunteers / 6,596,900 population 15+ (TJ 2023, [D]) → 1.5935 %.
        Assert.Equal(1.5935, VolunteerIndicators.ParticipationRate(105_122, 6_596_900), 4);
        Assert.Equal(52.0, VolunteerIndicators.HoursPerVolunteer(5_200, 100), 12);
        Assert.Equal(1.14, VolunteerIndicators.RepresentationRatio(0.57, 0.5), 12); // women 57 % of volunteers, 50 % of population
        Assert.Equal(2.5, VolunteerIndicators.BeneficiariesPerThousand(50, 20_000), 12);
    }

    [Fact]
    public void Regional_equity_by_hand()
    {
        // Rates 10 and 30 with populations 1 and 1: mean 20, variance ((−10)² + 10²)/2 = 100, sd 10, CV 0.5 → 50.
        Assert.Equal(50, VolunteerIndicators.RegionalEquity([10, 30], [1, 1]), 12);
        // Weighted: rates 10, 30 with populations 3, 1: mean (30 + 30)/4 = 15; variance (3·25 + 225)/4 = 75; CV √75/15 = 0.57735 → 42.265.
        Assert.Equal(100 * (1 - (Math.Sqrt(75) / 15)), VolunteerIndicators.RegionalEquity([10, 30], [3, 1]), 12);
        Assert.Equal(100, VolunteerIndicators.RegionalEquity([12, 12, 12], [5, 1, 2]), 12);
        Assert.Equal(0, VolunteerIndicators.RegionalEquity([0, 0, 100], [1, 1, 1]), 12); // CV = √2 > 1 → clipped at 0
    }

    [Fact]
    public void Human_capital_indicators_by_hand()
    {
        Assert.Equal(7.5, VolunteerIndicators.TrainingHoursPerVolunteer(750, 100), 12);
        Assert.Equal(62.5, VolunteerIndicators.RetentionRate(125, 200), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => VolunteerIndicators.RetentionRate(201, 200));
    }
}
