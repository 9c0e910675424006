namespace ContributionIndex.Indicators.Composite;

/// <summary>The methodological choices of one index computation. Defaults reproduce the SDR SDG Index.</summary>
public sealed record IndexOptions
{
    /// <summary>Normalisation method (default SDR goalposts).</summary>
    public NormalisationMethod Normalisation { get; init; } = NormalisationMethod.Bounded;

    /// <summary>Lowest score of the bounded, min-max, percentile and distance-to-target scales (default 0).</summary>
    /// <remarks>Geometric and harmonic means need positive scores; COINr suggests a scale such as [1, 100] for them.</remarks>
    public double ScoreMin { get; init; }

    /// <summary>Highest score of the bounded, min-max, percentile and distance-to-target scales (default 100).</summary>
    public double ScoreMax { get; init; } = 100;

    /// <summary>Aggregation of indicator scores into pillar scores (default arithmetic).</summary>
    public AggregationMethod PillarAggregation { get; init; } = AggregationMethod.Arithmetic;

    /// <summary>Aggregation of pillar scores into the index (default arithmetic).</summary>
    public AggregationMethod IndexAggregation { get; init; } = AggregationMethod.Arithmetic;

    /// <summary>Exponent p of the generalised mean (used when an aggregation is <see cref="AggregationMethod.Generalised"/>).</summary>
    public double PowerMeanExponent { get; init; } = 1;

    /// <summary>Weighting method (default equal).</summary>
    public WeightingMethod Weighting { get; init; } = WeightingMethod.Equal;

    /// <summary>Minimum share (0–1) of all framework indicators a unit must have to receive an index score and rank (SDR: 0.8).</summary>
    public double MinUnitCoverage { get; init; }

    /// <summary>Minimum share (0–1) of a pillar's indicators a unit must have for the pillar score to count as observed.</summary>
    /// <remarks>A pillar below the threshold is missing, and then imputed when <see cref="Imputation"/> is group-mean.
    /// Any value in (1/6, 1/4] makes SDR goal 14 missing exactly where <c>sdg14_biomar</c> is its only indicator.</remarks>
    public double MinPillarCoverage { get; init; }

    /// <summary>Imputation method (default none).</summary>
    public ImputationMethod Imputation { get; init; } = ImputationMethod.None;

    /// <summary>Group of each unit (for group-mean imputation), e.g. SDR regions.</summary>
    public IReadOnlyDictionary<string, string>? Groups { get; init; }

    /// <summary>Earlier period's raw data (for previous-year imputation); same framework, units matched by code.</summary>
    public IndicatorData? PreviousPeriod { get; init; }
}
