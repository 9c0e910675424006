namespace ContributionIndex.Estimation;

/// <summary>Settings shared by all estimators; every option R reads from a global lives here explicitly.</summary>
/// <param name="ConfidenceLevel">The level of the intervals, in (0, 1); 0.95 by default.</param>
/// <param name="DegreesOfFreedom">Degrees of freedom for the intervals; null uses the design's (R <c>degf(design)</c>), +∞ gives normal intervals.</param>
/// <param name="Quality">The release rules; null uses <see cref="QualityRules.StatisticsCanada"/>.</param>
/// <param name="KeepComponents">Keep replicate estimates or PSU influence totals with each estimate so covariances can be computed later.</param>
public sealed record EstimationOptions(double ConfidenceLevel = 0.95, double? DegreesOfFreedom = null, QualityRules? Quality = null, bool KeepComponents = true)
{
    /// <summary>The defaults: 95 % t intervals with the design's df, Statistics Canada rules, components kept.</summary>
    public static EstimationOptions Default { get; } = new();

    /// <summary>How proportion intervals are formed (R <c>svyciprop</c> method); <see cref="ProportionInterval.Mean"/> (Wald, R <c>svymean</c>'s <c>confint</c>) by default.</summary>
    public ProportionInterval ProportionInterval { get; init; } = ProportionInterval.Mean;

    /// <summary>How quantile intervals and SEs are formed (R <c>svyquantile</c> interval.type); <see cref="QuantileInterval.Mean"/> (Woodruff) by default.</summary>
    public QuantileInterval QuantileInterval { get; init; } = QuantileInterval.Mean;

    internal QualityRules Rules => Quality ?? QualityRules.StatisticsCanada;
}
