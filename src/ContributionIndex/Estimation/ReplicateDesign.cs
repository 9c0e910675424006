namespace ContributionIndex.Estimation;

/// <summary>A design described by full-sample and replicate weights (R <c>svrepdesign</c> with combined weights).</summary>
/// <remarks>
/// The variance of any statistic θ is <see cref="ReplicateVariance.Compute"/> applied to θ computed with each replicate
/// column: scale · Σ_r rscales_r (θ_r − θ̄)². The constants are settled at construction, as R does:
/// BRR scale = 1/R; Fay scale = 1/(R(1−ρ)²); JK1 scale = (R−1)/R unless given; JKn needs rscales; bootstrap scale = 1/(R−1)
/// unless given; other: scale and rscales as given (default 1). Replicate weights are stored as analysis (combined) weights,
/// one array per replicate, and, when each replicate is the full-sample weights times a common factor except in few rows or
/// in a group of rows shared with other replicates (jackknives), also in that form (<see cref="Differences"/>), from which
/// estimators compute replicate totals in O(n) instead of O(n·R).
/// Replicates built from strata and PSUs get their differences straight from the PSU multipliers, and their n × R weight
/// columns are only filled in when something asks for them.
/// </remarks>
public sealed class ReplicateDesign : SurveyDesign
{
    private readonly Lazy<double[][]> columns;
    private readonly Lazy<ReplicateDifferences?> differences;

    private ReplicateDesign(double[] weights, Lazy<double[][]> replicateWeights, int replicateCount, ReplicateMethod method, double rho, double scale,
        double[] rscales, bool mse, double df, Lazy<ReplicateDifferences?> differences)
        : base(weights, df)
    {
        columns = replicateWeights;
        ReplicateCount = replicateCount;
        this.differences = differences;
        Method = method;
        Rho = rho;
        Scale = scale;
        RScalesArray = rscales;
        Mse = mse;
    }

    /// <summary>The replicate analysis weights, one array per replicate (filled in on first use for converted designs).</summary>
    internal double[][] ReplicateWeightColumns => columns.Value;

    /// <summary>The replicate weights as changes of scaled full-sample weights when they change few rows (jackknives), else null.</summary>
    /// <remarks>Found once, when an estimator first asks (a model never does); estimators then compute replicate totals from the full-sample totals (see <see cref="ReplicateDifferences"/>).</remarks>
    internal ReplicateDifferences? Differences => differences.Value;

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
    public int ReplicateCount { get; }

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
        CheckColumns(weights.Length, replicateWeights);
        return Build(weights.ToArray(), [.. replicateWeights.Select(c => (double[])c.Clone())], method, rho, scale, rscales, mse, degreesOfFreedom);
    }

    /// <summary>
    /// <see cref="Create"/> taking ownership of the arrays (they are neither copied nor to be changed by the caller), so
    /// that a sample read for one estimate is not held twice.
    /// </summary>
    internal static ReplicateDesign CreateOwning(double[] weights, double[][] replicateWeights, ReplicateMethod method,
        double? rho = null, double? scale = null, IReadOnlyList<double>? rscales = null, bool mse = false, double? degreesOfFreedom = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(replicateWeights);
        CheckWeights(weights);
        CheckColumns(weights.Length, replicateWeights);
        return Build(weights, replicateWeights, method, rho, scale, rscales, mse, degreesOfFreedom);
    }

    private static void CheckColumns(int n, IReadOnlyList<double[]> replicateWeights)
    {
        int r = replicateWeights.Count;
        if (r < 2) throw new EstimationException(FormattableString.Invariant($"Only {r} replicate weight column(s) were given; replicate variance needs at least two."));
        for (int k = 0; k < r; k++)
        {
            var column = replicateWeights[k];
            if (column.Length != n)
                throw new EstimationException(FormattableString.Invariant($"Replicate weight column {k + 1} has {column.Length} values but there are {n} rows."));
            for (int i = 0; i < n; i++)
                if (!double.IsFinite(column[i]))
                    throw new EstimationException(FormattableString.Invariant($"Replicate weight column {k + 1} has a missing or non-finite value in row {i + 1}; R survey does not allow missing replicate weights either."));
        }
    }

    private static ReplicateDesign Build(double[] full, double[][] columns, ReplicateMethod method,
        double? rho, double? scale, IReadOnlyList<double>? rscales, bool mse, double? degreesOfFreedom)
    {
        int r = columns.Length;
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
        return new ReplicateDesign(full, Ready(columns), r, method, effectiveRho, finalScale, effectiveRscales, mse, df, new Lazy<ReplicateDifferences?>(() => ReplicateDifferences.Detect(full, columns)));
    }

    internal static ReplicateDesign FromParts(double[] weights, double[][] columns, ReplicateMethod method, double scale, double[] rscales, bool mse, double? df = null) =>
        new(weights, Ready(columns), columns.Length, method, 0, scale, rscales, mse, df ?? ReplicateRank.Of(columns) - 1, new Lazy<ReplicateDifferences?>(() => ReplicateDifferences.Detect(weights, columns)));

    /// <summary>A design whose replicate weights are w_i times the multiplier of row i's PSU (R <c>as.svrepdesign</c>).</summary>
    /// <param name="weights">Full-sample weights.</param>
    /// <param name="rowPsu">The PSU (0-based) of each row.</param>
    /// <param name="psuMultipliers">One array per replicate with one multiplier per PSU.</param>
    /// <param name="expand">Builds the weight columns (column[i] = multiplier[rowPsu[i]] · weights[i]) when first needed.</param>
    /// <param name="method">The replicate method.</param>
    /// <param name="scale">The overall constant.</param>
    /// <param name="rscales">The per-replicate constants.</param>
    /// <param name="mse">Centre on the full-sample estimate.</param>
    /// <param name="df">The degrees of freedom.</param>
    internal static ReplicateDesign FromMultipliers(double[] weights, int[] rowPsu, IReadOnlyList<double[]> psuMultipliers, Func<double[][]> expand,
        ReplicateMethod method, double scale, double[] rscales, bool mse, double df) =>
        new(weights, new Lazy<double[][]>(expand, LazyThreadSafetyMode.ExecutionAndPublication), psuMultipliers.Count, method, 0, scale, rscales, mse, df,
            new Lazy<ReplicateDifferences?>(ReplicateDifferences.FromMultipliers(weights, rowPsu, psuMultipliers)));

    /// <summary>Returns the same design with variances centred on the full-sample estimate (true) or on the replicate mean (false).</summary>
    public ReplicateDesign WithMse(bool mse) =>
        new(SamplingWeights, columns, ReplicateCount, Method, Rho, Scale, RScalesArray, mse, DegreesOfFreedom, differences);

    /// <summary>The same design without its sparse form, so every replicate total is the dense row loop (for comparisons in tests).</summary>
    internal ReplicateDesign Dense() =>
        new(SamplingWeights, columns, ReplicateCount, Method, Rho, Scale, RScalesArray, Mse, DegreesOfFreedom, new Lazy<ReplicateDifferences?>((ReplicateDifferences?)null));

    private static Lazy<double[][]> Ready(double[][] columns) => new(() => columns, LazyThreadSafetyMode.PublicationOnly);
}
