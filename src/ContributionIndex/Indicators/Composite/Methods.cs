namespace ContributionIndex.Indicators.Composite;

/// <summary>How raw indicator values are brought to a common scale (OECD/JRC step 5).</summary>
public enum NormalisationMethod
{
    /// <summary>SDR goalposts: <c>100·(x − worst)/(best − worst)</c> clipped to [0, 100], from the framework's lower/upper bounds.</summary>
    Bounded,

    /// <summary>Min-max over the units: <c>100·(x − min)/(max − min)</c> (reversed for −).</summary>
    MinMax,

    /// <summary>Z-score: <c>±(x − mean)/sd</c> with the sample standard deviation (n − 1).</summary>
    ZScore,

    /// <summary>Rank among units, 1 = worst, ties get the average rank.</summary>
    Rank,

    /// <summary>Percentile rank <c>100·(r − 1)/(n − 1)</c> from the average rank r.</summary>
    Percentile,

    /// <summary>Distance to target (COINr n_dist2targ): <c>100·min(1, 1 − (target − x)/(max − min))</c> (mirrored for −).</summary>
    DistanceToTarget,

    /// <summary>Values are already normalised and are used as they are.</summary>
    None,
}

/// <summary>How scores are combined within a pillar and across pillars (OECD/JRC step 7).</summary>
public enum AggregationMethod
{
    /// <summary>Weighted arithmetic mean <c>Σwx/Σw</c> (fully compensatory).</summary>
    Arithmetic,

    /// <summary>Weighted geometric mean <c>exp(Σw·ln x/Σw)</c>; needs x &gt; 0.</summary>
    Geometric,

    /// <summary>Weighted harmonic mean <c>Σw/Σ(w/x)</c>; needs x &gt; 0.</summary>
    Harmonic,

    /// <summary>Weighted power mean <c>(Σw·x^p/Σw)^(1/p)</c> with exponent p; p = 0 is the geometric mean.</summary>
    Generalised,
}

/// <summary>Where indicator weights come from (OECD/JRC step 6).</summary>
public enum WeightingMethod
{
    /// <summary>Every indicator of a pillar, and every pillar, weighs the same.</summary>
    Equal,

    /// <summary>The framework's weights (equal where none are given).</summary>
    Explicit,

    /// <summary>Indicator weights within each pillar from principal components (OECD 2008/Nicoletti procedure); pillar weights explicit or equal.</summary>
    Pca,
}

/// <summary>How missing values are filled (OECD/JRC step 3).</summary>
public enum ImputationMethod
{
    /// <summary>No imputation: pillars and the index use the available data only.</summary>
    None,

    /// <summary>A unit's missing pillar takes the mean of that pillar over the units of its group that have it.</summary>
    GroupMean,

    /// <summary>A unit's missing raw value takes its value from the previous period's data.</summary>
    PreviousYear,
}
