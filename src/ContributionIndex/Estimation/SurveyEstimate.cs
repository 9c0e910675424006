namespace ContributionIndex.Estimation;

/// <summary>The kind of statistic an estimate is.</summary>
public enum StatisticKind
{
    /// <summary>A population total Σ w y (R <c>svytotal</c>).</summary>
    Total,

    /// <summary>A population mean Σ w y / Σ w (R <c>svymean</c>).</summary>
    Mean,

    /// <summary>A population proportion: the mean of an indicator (R <c>svymean</c> of a factor level).</summary>
    Proportion,

    /// <summary>A ratio of two totals Σ w y / Σ w x (R <c>svyratio</c>).</summary>
    Ratio,

    /// <summary>A quantile by the inverse weighted ECDF with a Woodruff interval (R <c>svyquantile</c>, qrule "math").</summary>
    Quantile,
}

/// <summary>What is kept of an estimate so that covariances, and so variances of nonlinear functions, can be computed later.</summary>
public abstract record VarianceComponents;

/// <summary>The replicate estimates θ_r with the design they come from (R <c>return.replicates = TRUE</c>).</summary>
/// <param name="Design">The replicate design the estimate was computed with: its identity, and its scale, rscales and mse.</param>
/// <param name="FullSample">The full-sample estimate θ.</param>
/// <param name="Replicates">θ_r, one per replicate (NaN when undefined in that replicate).</param>
public sealed record ReplicateComponents(ReplicateDesign Design, double FullSample, IReadOnlyList<double> Replicates) : VarianceComponents
{
    /// <summary>The design's scale.</summary>
    public double Scale => Design.Scale;

    /// <summary>The design's rscales.</summary>
    public IReadOnlyList<double> RScales => Design.RScalesArray;

    /// <summary>Whether variances centre on θ.</summary>
    public bool Mse => Design.Mse;
}

/// <summary>The sampling-unit totals of the influence values of a linearised estimate, with the units the domain touches.</summary>
/// <param name="Design">The Taylor design the totals belong to.</param>
/// <param name="UnitTotals">Σ of influence values per finest sampling unit of the design (SSU in a two-stage design, else PSU).</param>
/// <param name="UnitPresent">Whether each unit has rows in the estimate's domain.</param>
public sealed record LinearizationComponents(TaylorDesign Design, IReadOnlyList<double> UnitTotals, IReadOnlyList<bool> UnitPresent) : VarianceComponents;

/// <summary>One design-based estimate with its precision, interval, design effect, unweighted count and release flag.</summary>
/// <param name="Statistic">The kind of statistic.</param>
/// <param name="Variable">The variable (for a ratio "numerator/denominator"; for a quantile "variable" with <paramref name="Probability"/>).</param>
/// <param name="Domain">The domain labels, one per by-variable (empty for the whole sample).</param>
/// <param name="Value">The point estimate.</param>
/// <param name="Variance">The estimated sampling variance (for quantiles, the square of the Woodruff SE).</param>
/// <param name="DegreesOfFreedom">The degrees of freedom used for the t interval.</param>
/// <param name="ConfidenceLevel">The level of the interval, e.g. 0.95.</param>
/// <param name="ConfidenceLow">The lower interval end (t with <paramref name="DegreesOfFreedom"/>; Woodruff for quantiles).</param>
/// <param name="ConfidenceHigh">The upper interval end.</param>
/// <param name="DesignEffect">Variance over the variance of simple random sampling without replacement of the same size (R <c>deff = TRUE</c>); NaN for quantiles.</param>
/// <param name="UnweightedCount">The number of sample rows in the domain with a usable value and a positive weight.</param>
/// <param name="Flag">The release decision under the rules in force.</param>
/// <param name="Components">What is kept to compute covariances with other estimates from the same design, or null.</param>
/// <param name="Probability">The quantile's probability, NaN for other statistics.</param>
public sealed record SurveyEstimate(
    StatisticKind Statistic,
    string Variable,
    IReadOnlyList<string> Domain,
    double Value,
    double Variance,
    double DegreesOfFreedom,
    double ConfidenceLevel,
    double ConfidenceLow,
    double ConfidenceHigh,
    double DesignEffect,
    long UnweightedCount,
    QualityFlag Flag,
    VarianceComponents? Components,
    double Probability = double.NaN)
{
    /// <summary>The standard error √Variance.</summary>
    public double StandardError => Math.Sqrt(Variance);

    /// <summary>The design effect factor √deff (Kish's deft): the ratio of the SE to the SE of simple random sampling without replacement of the same size.</summary>
    public double DesignEffectFactor => Math.Sqrt(DesignEffect);

    /// <summary>The coefficient of variation SE/|estimate| (R <c>cv</c>); infinite or NaN when the estimate is 0.</summary>
    public double CoefficientOfVariation => StandardError / Math.Abs(Value);

    /// <summary>A symmetric interval estimate ± q·SE with q the t quantile for <paramref name="degreesOfFreedom"/> (∞ for normal), as R <c>confint(est, level, df)</c>.</summary>
    public (double Low, double High) SymmetricInterval(double level, double degreesOfFreedom)
    {
        var q = CriticalValues.StudentT(1 - (1 - level) / 2, degreesOfFreedom);
        return (Value - q * StandardError, Value + q * StandardError);
    }

    /// <summary>The covariance of two estimates from the same design, from their kept components.</summary>
    /// <remarks>
    /// Each estimate carries the design object it was computed with; estimates of two designs are refused even when
    /// their replicate counts or PSU counts happen to match, since their replicates or PSUs are not the same units.
    /// </remarks>
    /// <exception cref="InvalidOperationException">Either estimate kept no components, or they come from different designs.</exception>
    public static double Covariance(SurveyEstimate a, SurveyEstimate b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Components is null || b.Components is null)
            throw new InvalidOperationException("A covariance needs two estimates that both kept their variance components (quantiles keep none).");
        switch (a.Components, b.Components)
        {
            case (ReplicateComponents ra, ReplicateComponents rb) when ReferenceEquals(ra.Design, rb.Design):
                return ReplicateVariance.Covariance(ra.FullSample, ra.Replicates.ToArray(), rb.FullSample, rb.Replicates.ToArray(), ra.Scale, ra.Design.RScalesArray, ra.Mse);
            case (LinearizationComponents la, LinearizationComponents lb) when ReferenceEquals(la.Design, lb.Design):
                var present = new bool[la.UnitPresent.Count];
                for (int u = 0; u < present.Length; u++) present[u] = la.UnitPresent[u] || lb.UnitPresent[u];
                return la.Design.Covariance(la.UnitTotals.ToArray(), lb.UnitTotals.ToArray(), present);
            default:
                throw new InvalidOperationException(
                    $"The estimates '{a.Variable}' and '{b.Variable}' come from different survey designs; a covariance needs two estimates of the same design object.");
        }
    }
}
