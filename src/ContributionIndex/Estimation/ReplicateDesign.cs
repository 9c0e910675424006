namespace ContributionIndex.Estimation;

/// <summary>A design described by full-sample and replicate weights (R <c>svrepdesign</c> with combined weights).</summary>
/// <remarks>
/// The variance of any statistic θ is <see cref="ReplicateVariance.Compute"/> applied to θ computed with each replicate
/// column: scale · Σ_r rscales_r (θ_r − θ̄)². The constants are settled at construction, as R does:
/// BRR scale = 1/R; Fay scale = 1/(R(1−ρ)²); JK1 scale = (R−1)/R unless given; JKn needs rscales; bootstrap scale = 1/(R−1)
/// unless given; other: scale and rscales as given (default 1). Replicate weights are stored as analysis (combined) weights,
/// one array per replicate.
/// </remarks>
public sealed class ReplicateDesign : SurveyDesign
{
    private ReplicateDesign(double[] weights, double[][] replicateWeights, ReplicateMethod method, double rho, double scale,
        double[] rscales, bool mse, double df)
        : base(weights, df)
    {
        ReplicateWeightColumns = replicateWeights;
        Method = method;
        Rho = rho;
        Scale = scale;
        RScalesArray = rscales;
        Mse = mse;
    }

    internal double[][] ReplicateWeightColumns { get; }

    internal double[] RScalesArray { get; }

    /// <summary>The replicate method.</summary>
    public ReplicateMethod Method { get; }

    /// <summary>Fay's rho (0 for other methods).</summary>
    public double Rho { get; }

    /// <summary>The overall variance constant (R <c>scale</c>).</summary>
    public double Scale { get; }

    /// <summary>The per-replicate variance constants (R <c>rscales</c>).</summary>
    public ReadOnlySpan<double> RScales => RScalesArray;

    /// <summary>True when variances are centred on the full-sample estimate instead of the replicate mean (R <c>mse</c>).</summary>
    public bool Mse { get; }

    /// <summary>The number of replicates R.</summary>
    public int ReplicateCount => ReplicateWeightColumns.Length;

    /// <summary>The analysis weights of replicate <paramref name="replicate"/> (0-based), one per row.</summary>
    public ReadOnlySpan<double> ReplicateWeights(int replicate) => ReplicateWeightColumns[replicate];

    /// <summary>Builds a design from given replicate weights (R <c>svrepdesign(..., combined.weights = TRUE)</c>).</summary>
    /// <param name="weights">Full-sample weights, one per row.</param>
    /// <param name="replicateWeights">Replicate analysis weights: one array per replicate, each with one value per row.</param>
    /// <param name="method">The replicate method.</param>
    /// <param name="rho">Fay's rho in [0, 1); required for <see cref="ReplicateMethod.Fay"/>.</param>
    /// <param name="scale">The overall constant; ignored for BRR and Fay, defaulted for JK1 and bootstrap as R does.</param>
    /// <param name="rscales">Per-replicate constants; required for JKn, default 1.</param>
    /// <param name="mse">Centre on the full-sample estimate (R <c>mse = TRUE</c>).</param>
    /// <param name="degreesOfFreedom">Design degrees of freedom, or null for R's rank(replicate weights) − 1.</param>
    /// <exception cref="EstimationException">The inputs are inconsistent or a required constant is missing.</exception>
    public static ReplicateDesign Create(ReadOnlySpan<double> weights, IReadOnlyList<double[]> replicateWeights, ReplicateMethod method,
        double? rho = null, double? scale = null, IReadOnlyList<double>? rscales = null, bool mse = false, double? degreesOfFreedom = null)
    {
        ArgumentNullException.ThrowIfNull(replicateWeights);
        CheckWeights(weights);
        int n = weights.Length, r = replicateWeights.Count;
        if (r < 2) throw new EstimationException(FormattableString.Invariant($"Only {r} replicate weight column(s) were given; replicate variance needs at least two."));
        var columns = new double[r][];
        for (int k = 0; k < r; k++)
        {
            var column = replicateWeights[k];
            if (column.Length != n)
                throw new EstimationException(FormattableString.Invariant($"Replicate weight column {k + 1} has {column.Length} values but there are {n} rows."));
            for (int i = 0; i < n; i++)
                if (!double.IsFinite(column[i]))
                    throw new EstimationException(FormattableString.Invariant($"Replicate weight column {k + 1} has a missing or non-finite value in row {i + 1}; R survey does not allow missing replicate weights either."));
            columns[k] = (double[])column.Clone();
        }
        if (rscales is not null && rscales.Count != r && rscales.Count != 1)
            throw new EstimationException(FormattableString.Invariant($"rscales has {rscales.Count} values but there are {r} replicate weight columns; give one per replicate."));

        double effectiveRho = 0;
        double? effectiveScale = scale;
        double[]? effectiveRscales = rscales is null ? null : rscales.Count == 1 ? Enumerable.Repeat(rscales[0], r).ToArray() : rscales.ToArray();
        switch (method)
        {
            case ReplicateMethod.Brr:
                effectiveScale = 1.0 / r;
                break;
            case ReplicateMethod.Fay:
                if (rho is null)
                    throw new EstimationException("With Fay replicate weights you must supply the correct rho (--rho), as R survey requires.");
                if (!(rho >= 0 && rho < 1))
                    throw new EstimationException(FormattableString.Invariant($"Fay's rho must be in [0, 1); {rho} was given."));
                effectiveRho = rho.Value;
                effectiveScale = 1.0 / (r * (1 - effectiveRho) * (1 - effectiveRho));
                break;
            case ReplicateMethod.Bootstrap:
                effectiveScale ??= 1.0 / (r - 1);
                break;
            case ReplicateMethod.Jk1:
                effectiveScale ??= (r - 1.0) / r;
                break;
            case ReplicateMethod.Jkn:
                if (effectiveRscales is null)
                    throw new EstimationException("JKn replicate weights need rscales ((n_h − 1)/n_h per replicate, --rscales FILE), as R survey requires for combined weights.");
                break;
            case ReplicateMethod.Other:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown replicate method.");
        }
        effectiveRscales ??= Enumerable.Repeat(1.0, r).ToArray();
        var finalScale = effectiveScale ?? 1.0;
        if (!double.IsFinite(finalScale) || finalScale < 0)
            throw new EstimationException(FormattableString.Invariant($"The replicate scale {finalScale} is not a finite non-negative number."));
        foreach (var v in effectiveRscales)
            if (!double.IsFinite(v) || v < 0)
                throw new EstimationException(FormattableString.Invariant($"The rscale {v} is not a finite non-negative number."));

        var df = degreesOfFreedom ?? ReplicateRank.Of(columns) - 1;
        return new ReplicateDesign(weights.ToArray(), columns, method, effectiveRho, finalScale, effectiveRscales, mse, df);
    }

    internal static ReplicateDesign FromParts(double[] weights, double[][] columns, ReplicateMethod method, double scale, double[] rscales, bool mse, double? df = null) =>
        new(weights, columns, method, 0, scale, rscales, mse, df ?? ReplicateRank.Of(columns) - 1);

    /// <summary>Returns the same design with variances centred on the full-sample estimate (true) or on the replicate mean (false).</summary>
    public ReplicateDesign WithMse(bool mse) =>
        new(SamplingWeights, ReplicateWeightColumns, Method, Rho, Scale, RScalesArray, mse, DegreesOfFreedom);
}
