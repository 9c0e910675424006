namespace ContributionIndex.Estimation;

/// <summary>Design-based estimators of totals, means, proportions, ratios and quantiles, by domain (R <c>svytotal</c>, <c>svymean</c>, <c>svyratio</c>, <c>svyquantile</c>, <c>svyby</c>).</summary>
/// <remarks>
/// Every estimator works on any <see cref="SurveyDesign"/>. Rows whose value is NaN are left out of that estimate as R does
/// with <c>na.rm = TRUE</c> (they leave the domain, the design stays whole). All domains are estimated in one pass over the
/// rows (per replicate for replicate designs), so the cost is O(n·R) per variable whatever the number of domains; for
/// jackknife-like replicates (<see cref="ReplicateDifferences"/>) the replicate totals are the full-sample totals rescaled
/// and corrected over the rows the replicate changes, O(n + R·d) for JKn and JK1.
/// </remarks>
public static class SurveyEstimator
{
    /// <summary>Estimates the total of <paramref name="y"/> in each domain.</summary>
    public static IReadOnlyList<SurveyEstimate> Total(SurveyDesign design, string variable, ReadOnlySpan<double> y, DomainPartition domains, EstimationOptions? options = null) =>
        RatioFamily(design, StatisticKind.Total, variable, y, default, domains, options ?? EstimationOptions.Default);

    /// <summary>Estimates the mean of <paramref name="y"/> in each domain.</summary>
    public static IReadOnlyList<SurveyEstimate> Mean(SurveyDesign design, string variable, ReadOnlySpan<double> y, DomainPartition domains, EstimationOptions? options = null) =>
        RatioFamily(design, StatisticKind.Mean, variable, y, default, domains, options ?? EstimationOptions.Default);

    /// <summary>Estimates the proportion of rows whose <paramref name="values"/> equal <paramref name="category"/> in each domain (null values are left out).</summary>
    public static IReadOnlyList<SurveyEstimate> Proportion(SurveyDesign design, string variable, IReadOnlyList<string?> values, string category, DomainPartition domains, EstimationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != design.RowCount)
            throw new EstimationException(FormattableString.Invariant($"Variable '{variable}' has {values.Count} values but the design has {design.RowCount} rows."));
        var indicator = new double[values.Count];
        for (int i = 0; i < indicator.Length; i++)
            indicator[i] = values[i] is null ? double.NaN : string.Equals(values[i], category, StringComparison.Ordinal) ? 1 : 0;
        options ??= EstimationOptions.Default;
        return ProportionIntervals.Apply(design, RatioFamily(design, StatisticKind.Proportion, variable + "=" + category, indicator, default, domains, options), indicator, domains, options);
    }

    /// <summary>Estimates the mean of a 0/1 indicator <paramref name="y"/> in each domain with the proportion interval of <see cref="EstimationOptions.ProportionInterval"/> (R <c>svyciprop</c>).</summary>
    /// <remarks>The estimate, SE and design effect are <see cref="Mean"/>'s; only the interval follows the chosen method.</remarks>
    public static IReadOnlyList<SurveyEstimate> Rate(SurveyDesign design, string variable, ReadOnlySpan<double> y, DomainPartition domains, EstimationOptions? options = null)
    {
        options ??= EstimationOptions.Default;
        for (int i = 0; i < y.Length; i++)
            if (!(double.IsNaN(y[i]) || y[i] == 0 || y[i] == 1))
                throw new EstimationException(FormattableString.Invariant($"Variable '{variable}' has the value {y[i]} in row {i + 1}; a rate needs a 0/1 indicator."));
        return ProportionIntervals.Apply(design, RatioFamily(design, StatisticKind.Mean, variable, y, default, domains, options), y, domains, options);
    }

    /// <summary>Estimates the ratio of the totals of <paramref name="numerator"/> and <paramref name="denominator"/> in each domain.</summary>
    public static IReadOnlyList<SurveyEstimate> Ratio(SurveyDesign design, string numeratorName, ReadOnlySpan<double> numerator, string denominatorName, ReadOnlySpan<double> denominator, DomainPartition domains, EstimationOptions? options = null)
    {
        if (denominator.Length != numerator.Length)
            throw new EstimationException(FormattableString.Invariant($"The ratio's numerator has {numerator.Length} values and its denominator {denominator.Length}; they must match."));
        return RatioFamily(design, StatisticKind.Ratio, numeratorName + "/" + denominatorName, numerator, denominator, domains, options ?? EstimationOptions.Default);
    }

    /// <summary>Estimates the <paramref name="probability"/>-quantile of <paramref name="y"/> in each domain with the interval of <see cref="EstimationOptions.QuantileInterval"/> (R <c>svyquantile</c>, qrule "math"; Woodruff "mean" by default).</summary>
    /// <exception cref="EstimationException">The probability is outside [0, 1], or the interval type does not apply to the design (score and the Woodruff variants beta, xlogit, asin need a Taylor design, quantile a replicate design).</exception>
    public static IReadOnlyList<SurveyEstimate> Quantile(SurveyDesign design, string variable, ReadOnlySpan<double> y, double probability, DomainPartition domains, EstimationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(domains);
        options ??= EstimationOptions.Default;
        if (!(probability >= 0 && probability <= 1))
            throw new EstimationException(FormattableString.Invariant($"The quantile probability {probability} is outside [0, 1]."));
        CheckLengths(design, variable, y, domains);
        QuantileIntervals.CheckApplies(design, options.QuantileInterval);
        var w = design.SamplingWeights;
        var rowDomain = domains.RowDomainArray;
        int d = domains.Count;

        // Rows with a value and a positive weight, grouped by domain and sorted by value (ties keep row order, as R's order()).
        var counts = new int[d + 1];
        for (int i = 0; i < y.Length; i++)
            if (rowDomain[i] >= 0 && !double.IsNaN(y[i]) && w[i] > 0) counts[rowDomain[i] + 1]++;
        for (int k = 0; k < d; k++) counts[k + 1] += counts[k];
        var sortedRows = new int[counts[d]];
        var fill = (int[])counts.Clone();
        for (int i = 0; i < y.Length; i++)
            if (rowDomain[i] >= 0 && !double.IsNaN(y[i]) && w[i] > 0) sortedRows[fill[rowDomain[i]]++] = i;
        var values = new double[sortedRows.Length];
        var cumulative = new double[sortedRows.Length];
        var totals = new double[d];
        var yArray = y.ToArray();
        for (int k = 0; k < d; k++)
        {
            var segment = sortedRows.AsSpan(counts[k], counts[k + 1] - counts[k]);
            segment.Sort((a, b) => { int c = yArray[a].CompareTo(yArray[b]); return c != 0 ? c : a.CompareTo(b); });
            // R's cumsum and sum accumulate in long double; a double-double accumulator rounds to the same doubles.
            double hi = 0, lo = 0;
            for (int j = 0; j < segment.Length; j++)
            {
                values[counts[k] + j] = yArray[segment[j]];
                TwoSumAdd(ref hi, ref lo, w[segment[j]]);
                cumulative[counts[k] + j] = hi + lo;
            }
            totals[k] = hi + lo;
        }

        var qhat = new double[d];
        for (int k = 0; k < d; k++)
            qhat[k] = QuantileMath(values.AsSpan(counts[k], counts[k + 1] - counts[k]), cumulative.AsSpan(counts[k], counts[k + 1] - counts[k]), totals[k], probability);

        double df = options.DegreesOfFreedom ?? design.DegreesOfFreedom;
        double alpha = 1 - options.ConfidenceLevel;
        double critical = CriticalValues.StudentT(1 - alpha / 2, df);
        var order = new WeightedOrder(values, cumulative, counts, totals);
        var intervals = options.QuantileInterval switch
        {
            QuantileInterval.Score => QuantileIntervals.Score((TaylorDesign)design, y, rowDomain, d, order, probability, df, alpha, options),
            QuantileInterval.Quantile => QuantileIntervals.Replicate((ReplicateDesign)design, y, rowDomain, d, qhat, probability, df, alpha),
            _ => Woodruff(design, variable, y, domains, order, qhat, df, alpha, options),
        };
        var result = new SurveyEstimate[d];
        for (int k = 0; k < d; k++)
        {
            var (low, high) = intervals[k];
            double se = (high - low) / (2 * critical);
            long n = counts[k + 1] - counts[k];
            double cv = se / Math.Abs(qhat[k]);
            result[k] = new SurveyEstimate(StatisticKind.Quantile, variable, domains.Labels[k], qhat[k], se * se, df, options.ConfidenceLevel,
                low, high, double.NaN, n, options.Rules.Classify(cv, n), null, probability);
        }
        return result;
    }

    /// <summary>R <c>woodruffCI</c>: the interval of the proportion below q̂ (by <see cref="EstimationOptions.QuantileInterval"/>) mapped back through the quantile rule.</summary>
    private static (double Low, double High)[] Woodruff(SurveyDesign design, string variable, ReadOnlySpan<double> y, DomainPartition domains, WeightedOrder order,
        double[] qhat, double df, double alpha, EstimationOptions options)
    {
        var rowDomain = domains.RowDomainArray;
        int d = domains.Count;
        var below = new double[y.Length];
        var usable = new int[y.Length];
        for (int i = 0; i < y.Length; i++)
        {
            bool inDomain = rowDomain[i] >= 0 && !double.IsNaN(y[i]);
            below[i] = !inDomain ? double.NaN : y[i] <= qhat[rowDomain[i]] ? 1 : 0;
            usable[i] = inDomain ? rowDomain[i] : -1;
        }
        // The interval ends jump between data values as p ± t·SE crosses a cumulative share, so a rounding-level change of the
        // SE can move them by a whole gap (an SE that is exactly 0 in one summation order is 1e-17 in another): replicate
        // designs keep the dense row loop here, whose sums are the ones R forms.
        var proportionDesign = design is ReplicateDesign replicate ? replicate.Dense() : design;
        var proportions = RatioFamily(proportionDesign, StatisticKind.Mean, variable, below, default, domains, options with { KeepComponents = false });
        var result = new (double, double)[d];
        for (int k = 0; k < d; k++)
        {
            var m = proportions[k];
            var (pLow, pHigh) = QuantileIntervals.ProportionInterval(options.QuantileInterval, design, usable, k, m.Value, m.Variance, df, alpha);
            double low = double.IsNaN(pLow) || pLow < 0 ? double.NaN : order.Quantile(k, pLow);
            double high = double.IsNaN(pHigh) || pHigh > 1 ? double.NaN : order.Quantile(k, pHigh);
            result[k] = (low, high);
        }
        return result;
    }

    /// <summary>The positive-weight values of each domain sorted, with their cumulative weights (R <c>qs</c>), for the quantile rule.</summary>
    internal sealed class WeightedOrder(double[] values, double[] cumulative, int[] counts, double[] totals)
    {
        /// <summary>qrule_math of domain <paramref name="domain"/> at <paramref name="p"/>.</summary>
        public double Quantile(int domain, double p) =>
            QuantileMath(values.AsSpan(counts[domain], counts[domain + 1] - counts[domain]), cumulative.AsSpan(counts[domain], counts[domain + 1] - counts[domain]), totals[domain], p);
    }

    /// <summary>R survey 4.1-1 <c>qrule_math</c>: the smallest sorted value whose cumulative weight share reaches p, with R's exact comparisons.</summary>
    /// <remarks>When no cumulative weight is ≤ p·W, R's <c>last()</c> returns position 1 and the rule then takes the second value; this is reproduced.</remarks>
    internal static double QuantileMath(ReadOnlySpan<double> sortedValues, ReadOnlySpan<double> cumulativeWeights, double totalWeight, double p)
    {
        int n = sortedValues.Length;
        if (n == 0) return double.NaN;
        double threshold = p * totalWeight;
        int lo = 0, hi = n - 1, pos = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (cumulativeWeights[mid] <= threshold) { pos = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        if (pos < 0) pos = 0;
        int next = pos == n - 1 ? pos : pos + 1;
        double lowWeight = p - cumulativeWeights[pos] / totalWeight;
        return lowWeight == 0 ? sortedValues[pos] : sortedValues[next];
    }

    internal static void TwoSumAdd(ref double hi, ref double lo, double value)
    {
        double s = hi + value;
        double bp = s - hi;
        double err = (hi - (s - bp)) + (value - bp);
        hi = s;
        lo += err;
        double t = hi + lo;
        lo = lo - (t - hi);
        hi = t;
    }

    private static void CheckLengths(SurveyDesign design, string variable, ReadOnlySpan<double> y, DomainPartition domains)
    {
        if (y.Length != design.RowCount)
            throw new EstimationException(FormattableString.Invariant($"Variable '{variable}' has {y.Length} values but the design has {design.RowCount} rows."));
        if (domains.RowCount != design.RowCount)
            throw new EstimationException(FormattableString.Invariant($"The domains cover {domains.RowCount} rows but the design has {design.RowCount}."));
    }

    private static IReadOnlyList<SurveyEstimate> RatioFamily(SurveyDesign design, StatisticKind kind, string variable, ReadOnlySpan<double> y, ReadOnlySpan<double> x,
        DomainPartition domains, EstimationOptions options)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(domains);
        CheckLengths(design, variable, y, domains);
        bool hasX = kind == StatisticKind.Ratio;
        int n = y.Length, d = domains.Count;
        var w = design.SamplingWeights;

        // The domain of each row for this estimate: −1 when out of every domain or the value is missing (R na.rm = TRUE).
        var rowDomain = new int[n];
        for (int i = 0; i < n; i++)
        {
            int k = domains.RowDomainArray[i];
            rowDomain[i] = k >= 0 && !double.IsNaN(y[i]) && (!hasX || !double.IsNaN(x[i])) ? k : -1;
        }

        var yHat = new double[d];
        var xHat = new double[d];
        var nHat = new double[d];
        var positive = new long[d];
        var rows = new long[d];
        for (int i = 0; i < n; i++)
        {
            int k = rowDomain[i];
            if (k < 0) continue;
            yHat[k] += w[i] * y[i];
            xHat[k] += w[i] * (hasX ? x[i] : 1.0);
            nHat[k] += w[i];
            rows[k]++;
            if (w[i] != 0) positive[k]++;
        }
        var value = new double[d];
        for (int k = 0; k < d; k++) value[k] = kind == StatisticKind.Total ? yHat[k] : yHat[k] / xHat[k];

        // The replicate path leaves the ratio's residual-total variance in deff; DesignEffects divides it by the SRS variance.
        var variance = new double[d];
        var deff = new double[d];
        var components = new VarianceComponents?[d];
        if (design is TaylorDesign taylor)
            TaylorVariances(taylor, kind, y, x, rowDomain, value, xHat, variance, components, options.KeepComponents);
        else if (design is ReplicateDesign replicate)
            ReplicateVariances(replicate, kind, y, x, rowDomain, value, yHat, xHat, variance, deff, components, options.KeepComponents);
        else
            throw new ArgumentException("Unknown design type.", nameof(design));

        DesignEffects(design, kind, y, x, rowDomain, value, xHat, nHat, positive, rows, variance, deff);

        double df = options.DegreesOfFreedom ?? design.DegreesOfFreedom;
        double critical = CriticalValues.StudentT(1 - (1 - options.ConfidenceLevel) / 2, df);
        var result = new SurveyEstimate[d];
        for (int k = 0; k < d; k++)
        {
            double se = Math.Sqrt(variance[k]);
            double cv = se / Math.Abs(value[k]);
            result[k] = new SurveyEstimate(kind, variable, domains.Labels[k], value[k], variance[k], df, options.ConfidenceLevel,
                value[k] - critical * se, value[k] + critical * se, deff[k], positive[k], options.Rules.Classify(cv, positive[k]), components[k]);
        }
        return result;
    }

    private static void TaylorVariances(TaylorDesign design, StatisticKind kind, ReadOnlySpan<double> y, ReadOnlySpan<double> x, int[] rowDomain,
        double[] value, double[] xHat, double[] variance, VarianceComponents?[] components, bool keep)
    {
        // Influence totals are kept per finest sampling unit (SSU of a two-stage design, else PSU); TaylorDesign.Covariance sums them up.
        int d = value.Length, psuCount = design.UnitCount;
        var rowUnit = design.RowUnit;
        var w = design.SamplingWeights;
        bool hasX = kind == StatisticKind.Ratio;
        bool isTotal = kind == StatisticKind.Total;
        var psuY = new double[d * psuCount];
        var psuX = isTotal ? [] : new double[d * psuCount];
        var present = new bool[d * psuCount];
        for (int i = 0; i < rowDomain.Length; i++)
        {
            int k = rowDomain[i];
            if (k < 0) continue;
            int p = rowUnit[i];
            psuY[k * psuCount + p] += w[i] * y[i];
            if (!isTotal) psuX[k * psuCount + p] += w[i] * (hasX ? x[i] : 1.0);
            present[k * psuCount + p] = true;
        }
        var calibration = design.Calibration;
        int aux = calibration?.Columns.Count ?? 0;
        double[] psuAux = [], domainAuxY = [], domainAuxX = [];
        if (calibration is not null)
        {
            // Calibrated designs keep every row in every domain (R sets weights to 0 instead of dropping rows), so all units count.
            Array.Fill(present, true);
            // G_p = Σ_{i∈p} w*_i x_i over all rows; b_d = Σ_{i∈d} w⁰_i x_i u_i built from the domain sums of w⁰ x y and w⁰ x x.
            psuAux = new double[psuCount * aux];
            domainAuxY = new double[d * aux];
            domainAuxX = new double[d * aux];
            for (int i = 0; i < rowDomain.Length; i++)
            {
                int p = design.RowPsu[i];
                for (int j = 0; j < aux; j++) psuAux[p * aux + j] += w[i] * calibration.Columns[j][i];
                int k = rowDomain[i];
                if (k < 0) continue;
                for (int j = 0; j < aux; j++)
                {
                    double wx = calibration.PreviousWeights[i] * calibration.Columns[j][i];
                    domainAuxY[k * aux + j] += wx * y[i];
                    if (!isTotal) domainAuxX[k * aux + j] += wx * (hasX ? x[i] : 1.0);
                }
            }
        }
        var beta = new double[aux];
        for (int k = 0; k < d; k++)
        {
            var influence = new double[psuCount];
            if (isTotal)
            {
                Array.Copy(psuY, k * psuCount, influence, 0, psuCount);
            }
            else
            {
                // z = w (y − θ x)/X̂ summed by PSU (R svymean: (x − mean)·w/Σw; svyratio: (y − R x)/X̂ · w).
                double theta = value[k], scale = xHat[k];
                for (int p = 0; p < psuCount; p++)
                    influence[p] = (psuY[k * psuCount + p] - theta * psuX[k * psuCount + p]) / scale;
            }
            if (calibration is not null)
            {
                // u_i = y_i (total) or (y_i − θ x_i)/X̂ (mean, ratio); residual PSU totals t_p − G_pᵀ β̂_d, β̂_d = A⁻¹ b_d.
                for (int a = 0; a < aux; a++)
                {
                    double s = 0;
                    for (int b = 0; b < aux; b++)
                    {
                        double bd = isTotal ? domainAuxY[k * aux + b] : (domainAuxY[k * aux + b] - value[k] * domainAuxX[k * aux + b]) / xHat[k];
                        s += calibration.InverseCrossProduct[a, b] * bd;
                    }
                    beta[a] = s;
                }
                for (int p = 0; p < psuCount; p++)
                {
                    double fitted = 0;
                    for (int j = 0; j < aux; j++) fitted += psuAux[p * aux + j] * beta[j];
                    influence[p] -= fitted;
                }
            }
            var unitPresent = present.AsSpan(k * psuCount, psuCount);
            variance[k] = design.Covariance(influence, influence, unitPresent);
            if (keep) components[k] = new LinearizationComponents(design, influence, unitPresent.ToArray());
        }
    }

    private static void ReplicateVariances(ReplicateDesign design, StatisticKind kind, ReadOnlySpan<double> y, ReadOnlySpan<double> x, int[] rowDomain,
        double[] value, double[] yHat, double[] xHat, double[] variance, double[] deff, VarianceComponents?[] components, bool keep)
    {
        int d = value.Length, r = design.ReplicateCount;
        bool hasX = kind == StatisticKind.Ratio;
        bool isTotal = kind == StatisticKind.Total;
        var replicateY = new double[r * d];
        var replicateX = new double[r * d];
        if (design.Differences is { } differences && ReplicateDifferences.Applies(y, rowDomain) && (!hasX || ReplicateDifferences.Applies(x, rowDomain)))
        {
            // Jackknife-like replicates: θ_r = c_r·θ + (a_r − c_r)·θ_G + Σ over the residual rows (the kernel ReplicateTotals uses too).
            differences.Totals(design.SamplingWeights, y, rowDomain, yHat, replicateY);
            if (!isTotal) differences.Totals(design.SamplingWeights, hasX ? x : default, rowDomain, xHat, replicateX);
        }
        else
        {
            DenseReplicateTotals(design, kind, y, x, rowDomain, d, replicateY, replicateX);
        }

        var thetas = new double[r];
        for (int k = 0; k < d; k++)
        {
            for (int rep = 0; rep < r; rep++)
                thetas[rep] = isTotal ? replicateY[rep * d + k] : replicateY[rep * d + k] / replicateX[rep * d + k];
            variance[k] = ReplicateVariance.Compute(value[k], thetas, design.Scale, design.RScalesArray, design.Mse);
            if (keep) components[k] = new ReplicateComponents(design, value[k], (double[])thetas.Clone());
            if (kind == StatisticKind.Ratio)
            {
                // R's ratio deff is deff(svytotal(y − R̂x)): the replicate variance of the residual total (stored here, divided later).
                for (int rep = 0; rep < r; rep++)
                    thetas[rep] = replicateY[rep * d + k] - value[k] * replicateX[rep * d + k];
                deff[k] = ReplicateVariance.Compute(yHat[k] - value[k] * xHat[k], thetas, design.Scale, design.RScalesArray, design.Mse);
            }
        }
    }

    /// <summary>Replicate totals [replicate·d + domain] of y (and of x or 1) by the row loop over every replicate column.</summary>
    private static void DenseReplicateTotals(ReplicateDesign design, StatisticKind kind, ReadOnlySpan<double> y, ReadOnlySpan<double> x, int[] rowDomain,
        int d, double[] replicateY, double[] replicateX)
    {
        int r = design.ReplicateCount;
        bool hasX = kind == StatisticKind.Ratio;
        bool isTotal = kind == StatisticKind.Total;
        for (int rep = 0; rep < r; rep++)
        {
            var wr = design.ReplicateWeightColumns[rep];
            var ys = replicateY.AsSpan(rep * d, d);
            var xs = replicateX.AsSpan(rep * d, d);
            if (isTotal)
            {
                // A total needs no denominator: half the work, the same sums.
                for (int i = 0; i < rowDomain.Length; i++)
                {
                    int k = rowDomain[i];
                    if (k >= 0) ys[k] += wr[i] * y[i];
                }
                continue;
            }
            for (int i = 0; i < rowDomain.Length; i++)
            {
                int k = rowDomain[i];
                if (k < 0) continue;
                ys[k] += wr[i] * y[i];
                xs[k] += wr[i] * (hasX ? x[i] : 1.0);
            }
        }
    }

    private static void DesignEffects(SurveyDesign design, StatisticKind kind, ReadOnlySpan<double> y, ReadOnlySpan<double> x, int[] rowDomain,
        double[] value, double[] xHat, double[] nHat, long[] positive, long[] rows, double[] variance, double[] deff)
    {
        int d = value.Length;
        var w = design.SamplingWeights;
        bool ratio = kind == StatisticKind.Ratio;
        // z is y for totals and means and the ratio residual (y − R̂x)/X̂ for ratios (Taylor) or y − R̂x (replicate);
        // the scale of z cancels in the design effect.
        bool replicate = design is ReplicateDesign;
        var z = new double[rowDomain.Length];
        var zMean = new double[d];
        for (int i = 0; i < rowDomain.Length; i++)
        {
            int k = rowDomain[i];
            if (k < 0) continue;
            z[i] = ratio
                ? (replicate ? y[i] - value[k] * x[i] : (y[i] - value[k] * x[i]) / xHat[k])
                : y[i];
            zMean[k] += w[i] * z[i];
        }
        for (int k = 0; k < d; k++) zMean[k] /= nHat[k];
        var spread = new double[d];
        for (int i = 0; i < rowDomain.Length; i++)
        {
            int k = rowDomain[i];
            if (k < 0) continue;
            double dev = z[i] - zMean[k];
            spread[k] += w[i] * dev * dev;
        }
        for (int k = 0; k < d; k++)
        {
            // R: Taylor counts rows with non-zero weight, replicate designs count all rows of the (sub)design.
            double count = replicate ? rows[k] : positive[k];
            double population = nHat[k];
            double s2 = count / (count - 1) * spread[k] / population;
            double srs;
            if (kind is StatisticKind.Mean or StatisticKind.Proportion)
                srs = !replicate && population < count ? double.NaN : s2 * (population - count) / (population * count);
            else
                srs = s2 * population * population * (population - count) / (population * count);
            double numerator = ratio && replicate ? deff[k] : variance[k];
            deff[k] = numerator / srs;
        }
    }
}
