namespace ContributionIndex.Estimation;

/// <summary>How the confidence interval and SE of a quantile are formed (R <c>svyquantile(..., interval.type = ...)</c>, survey 4.1-1).</summary>
/// <remarks>
/// Taylor designs take <see cref="Mean"/>, <see cref="Beta"/>, <see cref="Xlogit"/>, <see cref="Asin"/> and <see cref="Score"/>;
/// replicate designs <see cref="Mean"/> and <see cref="Quantile"/> (R's replicate method ignores the other Woodruff variants and
/// refuses score, so they are refused here). The SE is (upper − lower)/(2 t) in every case. See methodology/estimation.md §8.5.
/// </remarks>
public enum QuantileInterval
{
    /// <summary>Woodruff: the Wald interval of the proportion below the quantile, mapped back through the quantile function (R "mean").</summary>
    Mean,

    /// <summary>Woodruff with the Clopper–Pearson interval of the proportion at the effective sample size (R "beta"; Taylor designs).</summary>
    Beta,

    /// <summary>Woodruff with the proportion's Wald interval on the logit scale (R "xlogit"; Taylor designs).</summary>
    Xlogit,

    /// <summary>Woodruff with the proportion's Wald interval on the arcsine-square-root scale (R "asin"; Taylor designs).</summary>
    Asin,

    /// <summary>Inversion of the design-based score test of the quantile (Fuller; R "score", <c>ffullerCI</c>; Taylor designs).</summary>
    Score,

    /// <summary>The replicate variance of the quantile recomputed with every replicate weight, θ ± t·SE (R "quantile", <c>repCI</c>; replicate designs).</summary>
    Quantile,
}
