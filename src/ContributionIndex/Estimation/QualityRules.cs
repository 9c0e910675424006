namespace ContributionIndex.Estimation;

/// <summary>The publication decision attached to every estimate.</summary>
public enum QualityFlag
{
    /// <summary>Reliable enough to publish without a note.</summary>
    Publish,

    /// <summary>Publish with a caution mark (Statistics Canada "E", ABS "*").</summary>
    Caution,

    /// <summary>Too unreliable or too few observations: suppress (Statistics Canada "F", ABS "**").</summary>
    Suppress,
}

/// <summary>Configurable release rules based on the coefficient of variation and the unweighted count.</summary>
/// <remarks>
/// Defaults are Statistics Canada's (methodology-sources.md §8, [S]): CV ≤ 16.5 % publish, ≤ 33.3 % caution, above
/// suppress, and at least 10 observations. The ABS variant (RSE &lt; 25 % publish, ≤ 50 % caution, above suppress) is
/// <see cref="AustralianBureauOfStatistics"/> ([V], 8146.0 technical note). A non-finite CV (estimate 0) suppresses.
/// </remarks>
/// <param name="PublishLimit">The CV limit for plain publication.</param>
/// <param name="PublishLimitInclusive">True when a CV equal to <paramref name="PublishLimit"/> still publishes.</param>
/// <param name="CautionLimit">The CV limit for publication with a caution mark.</param>
/// <param name="CautionLimitInclusive">True when a CV equal to <paramref name="CautionLimit"/> is still published with caution.</param>
/// <param name="MinimumUnweightedCount">Estimates based on fewer sample observations are suppressed.</param>
public sealed record QualityRules(double PublishLimit, bool PublishLimitInclusive, double CautionLimit, bool CautionLimitInclusive, long MinimumUnweightedCount)
{
    /// <summary>Statistics Canada: CV ≤ 0.165 publish, ≤ 0.333 caution ("E"), otherwise suppress ("F"); n ≥ 10.</summary>
    public static QualityRules StatisticsCanada { get; } = new(0.165, true, 0.333, true, 10);

    /// <summary>Australian Bureau of Statistics: RSE &lt; 0.25 publish, ≤ 0.50 caution ("*"), otherwise suppress ("**"); n ≥ 10.</summary>
    public static QualityRules AustralianBureauOfStatistics { get; } = new(0.25, false, 0.50, true, 10);

    /// <summary>Classifies an estimate from its coefficient of variation and its unweighted count.</summary>
    public QualityFlag Classify(double coefficientOfVariation, long unweightedCount)
    {
        if (unweightedCount < MinimumUnweightedCount) return QualityFlag.Suppress;
        var cv = coefficientOfVariation;
        if (!double.IsFinite(cv)) return QualityFlag.Suppress;
        if (PublishLimitInclusive ? cv <= PublishLimit : cv < PublishLimit) return QualityFlag.Publish;
        if (CautionLimitInclusive ? cv <= CautionLimit : cv < CautionLimit) return QualityFlag.Caution;
        return QualityFlag.Suppress;
    }
}
