namespace ContributionIndex.Estimation.Volunteering;

/// <summary>
/// One pairwise comparison of a headline estimate that the annex publishes (issue #19): level_b − level_a with its
/// design SE, df, two-sided p-value and whether the difference is significant at the study's confidence level.
/// </summary>
/// <param name="Scope">The country whose sexes are compared, or <see cref="VolunteerEstimates.RegionalScope"/> (the pool's sexes, or two countries).</param>
/// <param name="Measure"><see cref="VolunteerMeasures.VolunteerRate"/> or <see cref="VolunteerMeasures.HoursPerVolunteer"/>.</param>
/// <param name="Compare"><c>sex</c> or <c>country</c>.</param>
/// <param name="LevelA">The first level (a sex, or a country code in study order).</param>
/// <param name="LevelB">The second level.</param>
/// <param name="Difference">estimate(level_b) − estimate(level_a).</param>
/// <param name="StandardError">Sexes: √(V_a + V_b − 2 C_ab) from the one design's domain covariance; countries (independent samples): √(V_a + V_b).</param>
/// <param name="DegreesOfFreedom">Sexes: the design df; countries: the sum of the two designs' df.</param>
/// <param name="P">Two-sided p-value 2·P(T_df &gt; |t|).</param>
/// <param name="Significant">p &lt; 1 − confidence level (the difference's interval excludes 0).</param>
public sealed record VolunteerComparison(string Scope, string Measure, string Compare, string LevelA, string LevelB,
    double Difference, double StandardError, double DegreesOfFreedom, double P, bool Significant)
{
    /// <summary>The lower end of the difference's t interval at <paramref name="level"/>.</summary>
    public double ConfidenceLow(double level) => Difference - CriticalValues.StudentT(1 - (1 - level) / 2, DegreesOfFreedom) * StandardError;

    /// <summary>The upper end of the difference's t interval at <paramref name="level"/>.</summary>
    public double ConfidenceHigh(double level) => Difference + CriticalValues.StudentT(1 - (1 - level) / 2, DegreesOfFreedom) * StandardError;
}

/// <summary>The pairwise comparisons of a study's headline rates that the annex marks (methodology/estimation.md §8.8).</summary>
public static class VolunteerComparisons
{
    /// <summary>The compared measures: the volunteer rate (T1) and hours per volunteer (T2), both comparable between countries and sexes.</summary>
    public static IReadOnlyList<string> Measures { get; } = [VolunteerMeasures.VolunteerRate, VolunteerMeasures.HoursPerVolunteer];

    /// <summary>Every pair of sexes within each survey scope (countries, then the pool) and every pair of countries, for each of <see cref="Measures"/>.</summary>
    /// <param name="set">The study's estimates (survey estimates keep their variance components).</param>
    public static IReadOnlyList<VolunteerComparison> Compute(VolunteerEstimateSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        double alpha = 1 - set.Settings.Options.ConfidenceLevel;
        var scopes = set.Countries.Append(VolunteerEstimates.RegionalScope).Where(s => set.DesignOf(s) is not null).ToList();
        var countries = scopes.Where(s => s != VolunteerEstimates.RegionalScope).ToList();
        var result = new List<VolunteerComparison>();
        foreach (var measure in Measures)
        {
            foreach (var scope in scopes)
            {
                var sexes = set.ByDomain(scope, measure, PersonVariables.Sex).Where(e => e.Estimate.Components is not null).ToList();
                for (int a = 0; a < sexes.Count; a++)
                    for (int b = a + 1; b < sexes.Count; b++)
                    {
                        var d = DomainComparisons.Difference("pairwise", sexes[a].Estimate, sexes[b].Estimate, 0, PersonVariables.Sex, sexes[a].Estimate.DegreesOfFreedom);
                        result.Add(Of(scope, measure, PersonVariables.Sex, d.LevelA, d.LevelB, d.Difference, d.StandardError, d.DegreesOfFreedom, alpha));
                    }
            }

            for (int a = 0; a < countries.Count; a++)
                for (int b = a + 1; b < countries.Count; b++)
                {
                    if (set.Find(countries[a], measure)?.Estimate is not { } x || set.Find(countries[b], measure)?.Estimate is not { } y) continue;
                    // Independent samples (each country its own design): no covariance.
                    result.Add(Of(VolunteerEstimates.RegionalScope, measure, PersonVariables.Country, countries[a], countries[b], y.Value - x.Value,
                        Math.Sqrt(x.Variance + y.Variance), x.DegreesOfFreedom + y.DegreesOfFreedom, alpha));
                }
        }

        return result;
    }

    private static VolunteerComparison Of(string scope, string measure, string compare, string a, string b, double difference, double se, double df, double alpha)
    {
        double p = CriticalValues.TwoSidedT(difference / se, df);
        return new VolunteerComparison(scope, measure, compare, a, b, difference, se, df, p, p < alpha);
    }
}
