namespace ContributionIndex.Estimation;

/// <summary>A survey design: the sample's weights plus what is needed to estimate variances; estimators are separate (R survey's design object).</summary>
/// <remarks>
/// Two kinds exist: <see cref="TaylorDesign"/> (strata, PSUs, fpc; with-replacement linearisation as R <c>svydesign</c>) and
/// <see cref="ReplicateDesign"/> (replicate weights as R <c>svrepdesign</c>). Weights are sampling weights (inverse inclusion
/// probabilities), neither frequency nor reliability weights. A design is immutable once built.
/// </remarks>
public abstract class SurveyDesign
{
    private protected SurveyDesign(double[] weights, double degreesOfFreedom)
    {
        SamplingWeights = weights;
        DegreesOfFreedom = degreesOfFreedom;
    }

    /// <summary>The full-sample sampling weights, one per row (never copied; do not mutate).</summary>
    internal double[] SamplingWeights { get; }

    /// <summary>The number of sample rows.</summary>
    public int RowCount => SamplingWeights.Length;

    /// <summary>The full-sample sampling weight of each row.</summary>
    public ReadOnlySpan<double> Weights => SamplingWeights;

    /// <summary>The design degrees of freedom used for t intervals (R <c>degf(design)</c>).</summary>
    /// <remarks>Taylor: number of PSUs minus number of strata, counting rows with non-zero weight. Replicate: rank of the replicate-weight matrix minus one (tolerance 1e-5), unless given.</remarks>
    public double DegreesOfFreedom { get; }

    internal static void CheckWeights(ReadOnlySpan<double> weights)
    {
        if (weights.Length == 0) throw new EstimationException("The sample is empty: a survey design needs at least one row.");
        for (int i = 0; i < weights.Length; i++)
        {
            var w = weights[i];
            if (!double.IsFinite(w) || w < 0)
                throw new EstimationException(FormattableString.Invariant($"Row {i + 1} has weight {w}; sampling weights must be finite and non-negative."));
        }
    }
}
