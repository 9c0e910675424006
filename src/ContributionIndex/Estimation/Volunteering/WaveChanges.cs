using ContributionIndex.Ingest;
using ContributionIndex.Studies;
using ContributionIndex.Valuation;

namespace ContributionIndex.Estimation.Volunteering;

/// <summary>
/// The change of one estimate between a study's previous wave and the study itself (methodology/change-over-time.md):
/// the two waves are independent samples, so the variance of the difference is the sum of the waves' variances.
/// </summary>
/// <param name="Country">The country (scope) of both estimates.</param>
/// <param name="Measure">The measure (<see cref="VolunteerMeasures"/>, or a <c>value_&lt;method&gt;_lcu</c> total).</param>
/// <param name="Domain">The domain (<c>all</c>, <c>sex</c>, …), as in estimates.csv.</param>
/// <param name="DomainValue">The domain's category.</param>
/// <param name="Previous">The previous wave's estimate, at its own prices.</param>
/// <param name="Current">This wave's estimate.</param>
/// <param name="Deflator">CPI(current year) / CPI(previous year) of the current study's series for a value, 1 otherwise.</param>
/// <param name="DegreesOfFreedom">df of the previous wave + df of the current wave: the degrees of freedom of the two waves stacked as one design with strata nested in wave.</param>
/// <param name="ConfidenceLevel">The current study's confidence level.</param>
public sealed record WaveChange(
    string Country,
    string Measure,
    string Domain,
    string DomainValue,
    VolunteerEstimate Previous,
    VolunteerEstimate Current,
    double Deflator,
    double DegreesOfFreedom,
    double ConfidenceLevel)
{
    /// <summary>The previous wave's estimate at the current wave's prices: <c>θ_prev × Deflator</c>.</summary>
    public double PreviousValue => Previous.Estimate.Value * Deflator;

    /// <summary>The previous wave's standard error at the current wave's prices: <c>SE_prev × Deflator</c>.</summary>
    public double PreviousStandardError => Previous.Estimate.StandardError * Deflator;

    /// <summary>The difference current − previous (at current prices).</summary>
    public double Difference => Current.Estimate.Value - PreviousValue;

    /// <summary>The SE of the difference of independent samples: √(SE_now² + SE_prev²), the previous SE deflated.</summary>
    public double StandardError => Math.Sqrt(Current.Estimate.Variance + PreviousStandardError * PreviousStandardError);

    /// <summary>The t statistic Difference / StandardError.</summary>
    public double T => Difference / StandardError;

    /// <summary>The two-sided p-value 2·P(T_df &gt; |t|).</summary>
    public double P => CriticalValues.TwoSidedT(T, DegreesOfFreedom);

    /// <summary>Lower end of the interval Difference ± t_{df, (1+level)/2}·SE.</summary>
    public double ConfidenceLow => Difference - HalfWidth;

    /// <summary>Upper end of the interval Difference ± t_{df, (1+level)/2}·SE.</summary>
    public double ConfidenceHigh => Difference + HalfWidth;

    /// <summary>Whether the difference is significant at the 5 % level (<see cref="WaveChanges.SignificanceLevel"/>): p &lt; 0.05.</summary>
    public bool Significant => P < WaveChanges.SignificanceLevel;

    private double HalfWidth => CriticalValues.StudentT(1 - (1 - ConfidenceLevel) / 2, DegreesOfFreedom) * StandardError;
}

/// <summary>The change table of a study with a previous wave: one <see cref="WaveChange"/> per country, measure and domain category estimated in both waves.</summary>
/// <param name="PreviousYear">The previous wave's reference year.</param>
/// <param name="CurrentYear">The study's reference year (the price year of values).</param>
/// <param name="Changes">The changes, in the order of the current wave's estimates.</param>
public sealed record WaveChangeSet(int PreviousYear, int CurrentYear, IReadOnlyList<WaveChange> Changes)
{
    /// <summary>The change of a measure in a country and domain category, or null when it was not estimated in both waves.</summary>
    public WaveChange? Find(string country, string measure, string domain = VolunteerEstimates.AllDomain, string domainValue = VolunteerEstimates.AllDomain) =>
        Changes.FirstOrDefault(c => c.Country == country && c.Measure == measure && c.Domain == domain && c.DomainValue == domainValue);
}

/// <summary>
/// Computes the change table between a study and its previous wave (issue #19): volunteer rate, annual hours, hours per
/// volunteer and the headline method's value in LCU at the current wave's prices, per country and for every domain
/// category estimated in both waves. Each wave's estimate and SE are its own run's (its own design); nothing is re-estimated.
/// </summary>
public static class WaveChanges
{
    /// <summary>The level of the significance flag: a difference is significant when p &lt; 0.05.</summary>
    public const double SignificanceLevel = 0.05;

    /// <summary>The measures compared, in table order, for a study whose headline valuation method is <paramref name="headline"/>.</summary>
    public static IReadOnlyList<string> Measures(ValuationMethod headline) =>
        [VolunteerMeasures.VolunteerRate, VolunteerMeasures.AnnualHours, VolunteerMeasures.HoursPerVolunteer, PersonVariables.Value(headline, MoneyUnit.LocalCurrency)];

    /// <summary>Whether a measure is a money value (deflated to the current wave's prices).</summary>
    public static bool IsValue(string measure) => measure.StartsWith("value_", StringComparison.Ordinal);

    /// <summary>The change table of <paramref name="current"/> against <paramref name="previous"/>.</summary>
    /// <param name="study">The current study (its CPI series deflates the previous wave's values; its confidence level sets the interval).</param>
    /// <param name="current">The current wave's estimates.</param>
    /// <param name="previousStudy">The previous wave's study.</param>
    /// <param name="previous">The previous wave's estimates.</param>
    /// <exception cref="Diagnostics.StudyFileException">The current study's CPI series lacks one of the two years.</exception>
    public static WaveChangeSet Compute(Study study, VolunteerEstimateSet current, Study previousStudy, VolunteerEstimateSet previous)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(previousStudy);
        ArgumentNullException.ThrowIfNull(previous);
        var measures = Measures(current.Valuation.Parameters.HeadlineMethod).ToHashSet(StringComparer.Ordinal);
        var level = current.Settings.Options.ConfidenceLevel;
        var changes = new List<WaveChange>();
        foreach (var now in current.Estimates)
        {
            if (now.Source != InputKind.Survey || now.Scope == VolunteerEstimates.RegionalScope || !measures.Contains(now.Measure)) continue;
            if (previous.Find(now.Scope, now.Measure, now.Domain, now.DomainValue) is not { } then) continue;
            var deflator = IsValue(now.Measure) ? Deflator(study, now.Scope, previousStudy.Year) : 1.0;
            changes.Add(new WaveChange(now.Scope, now.Measure, now.Domain, now.DomainValue, then, now, deflator,
                then.Estimate.DegreesOfFreedom + now.Estimate.DegreesOfFreedom, level));
        }

        return new WaveChangeSet(previousStudy.Year, study.Year, changes);
    }

    /// <summary>CPI(study year) / CPI(previous year) from the study's series for <paramref name="country"/>.</summary>
    /// <exception cref="Diagnostics.StudyFileException">A year is missing from the series (the validator refuses such a study first).</exception>
    public static double Deflator(Study study, string country, int previousYear)
    {
        ArgumentNullException.ThrowIfNull(study);
        var index = study.Countries.ToList().FindIndex(c => c.Code == country);
        var cpi = index < 0 ? [] : study.Countries[index].Cpi;
        double Of(int year) => cpi.FirstOrDefault(c => c.Year == year)?.Index
            ?? throw new Diagnostics.StudyFileException(study.LocationOf(FormattableString.Invariant($"countries[{Math.Max(index, 0)}].cpi")),
                FormattableString.Invariant($"the CPI of {country} has no index for {year}, needed to state {previousYear} values at {study.Year} prices."),
                FormattableString.Invariant($"Add '- {{year: {year}, index: ..., source: \"...\"}}' to the cpi list of {country}."));
        return Of(study.Year) / Of(previousYear);
    }
}
