using System.Numerics;
using System.Runtime.CompilerServices;

namespace ContributionIndex.Estimation;

/// <summary>
/// Full-sample and replicate totals of many variables over one domain partition, with the replicate weights read once
/// for all of them: the same numbers, bit for bit, as <see cref="SurveyEstimator.Total"/> with
/// <see cref="EstimationOptions.KeepComponents"/> (θ and θ_1..θ_R of <see cref="ReplicateComponents"/>).
/// </summary>
/// <remarks>
/// When the design's replicates differ from scaled full-sample weights in few rows (jackknives, see
/// <see cref="ReplicateDifferences"/>), each θ_r is c_r·θ plus the changed rows' differences, by the same kernel as
/// <see cref="SurveyEstimator"/>; variables are spread over the cores, each computed whole by one thread.
/// Otherwise every replicate total θ_r is Σ w_ri·y_i over the domain's rows in row order, one product and one addition at a
/// time, as in <see cref="SurveyEstimator"/>; only the loops are reordered. The weights are read in blocks of rows that fit in cache, transposed so that the
/// R replicate weights of a row lie side by side, and a row's products are added to all R running sums at once with SIMD
/// — one lane per replicate, so no sum changes its order. Rows whose value is 0 are skipped: w·0 is ±0 for a finite
/// weight, and adding ±0 never changes a sum that starts at +0 (such a sum is never −0). Replicates are split into
/// contiguous ranges, one per core; each sum has one owner, so the result does not depend on the number of threads.
/// </remarks>
internal static class ReplicateTotals
{
    /// <summary>Below this many weight × row products one thread is faster than two.</summary>
    private const long ParallelThreshold = 2_000_000;

    /// <summary>Totals [variable][domain] of each variable in each domain of <paramref name="domains"/>.</summary>
    /// <param name="design">The replicate design.</param>
    /// <param name="variables">Values per row for each variable; NaN leaves the row out of that variable's totals (R na.rm = TRUE).</param>
    /// <param name="domains">The domains (rows outside every domain are left out).</param>
    public static (double Full, double[] Replicates)[][] Compute(ReplicateDesign design, IReadOnlyList<double[]> variables, DomainPartition domains)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(domains);
        int n = design.RowCount, d = domains.Count, r = design.ReplicateCount, v = variables.Count;
        if (domains.RowCount != n)
            throw new EstimationException(FormattableString.Invariant($"The domains cover {domains.RowCount} rows but the design has {n}."));
        foreach (var y in variables)
            if (y.Length != n)
                throw new EstimationException(FormattableString.Invariant($"A variable has {y.Length} values but the design has {n} rows."));

        var rowDomain = domains.RowDomainArray;
        var w = design.SamplingWeights;
        var sums = new double[v * d][];
        for (int s = 0; s < sums.Length; s++) sums[s] = new double[r];

        // Full sample: the loop of SurveyEstimator.RatioFamily (yHat).
        var full = new double[v * d];
        for (int j = 0; j < v; j++)
        {
            var y = variables[j];
            for (int i = 0; i < n; i++)
            {
                int k = rowDomain[i];
                if (k < 0 || double.IsNaN(y[i])) continue;
                full[j * d + k] += w[i] * y[i];
            }
        }

        if (design.Differences is { } differences && variables.All(y => ReplicateDifferences.Applies(y, rowDomain)))
        {
            FromDifferences(differences, w, variables, rowDomain, d, full, sums);
        }
        else
        {
            Dense(design.ReplicateWeightColumns, variables, rowDomain, d, sums);
        }

        var result = new (double Full, double[] Replicates)[v][];
        for (int j = 0; j < v; j++)
        {
            result[j] = new (double, double[])[d];
            for (int k = 0; k < d; k++) result[j][k] = (full[j * d + k], sums[j * d + k]);
        }

        return result;
    }

    /// <summary>
    /// The replicate totals of each variable from the full-sample totals and the changed rows, by the kernel
    /// <see cref="SurveyEstimator.Total"/> uses (<see cref="ReplicateDifferences.Totals"/>), so both give the same doubles.
    /// </summary>
    private static void FromDifferences(ReplicateDifferences differences, double[] w, IReadOnlyList<double[]> variables, int[] rowDomain,
        int d, double[] full, double[][] sums)
    {
        int n = rowDomain.Length, r = differences.Factors.Length, v = variables.Count;
        void One(int j)
        {
            // The variable's own domains: a missing value leaves the row out (the rowDomain of SurveyEstimator.RatioFamily).
            var y = variables[j];
            var own = new int[n];
            for (int i = 0; i < n; i++) own[i] = double.IsNaN(y[i]) ? -1 : rowDomain[i];
            var totals = new double[r * d];
            differences.Totals(w, y, own, full.AsSpan(j * d, d), totals);
            for (int k = 0; k < d; k++)
            {
                var target = sums[j * d + k];
                for (int rep = 0; rep < r; rep++) target[rep] = totals[rep * d + k];
            }
        }

        // Variables are independent and each is computed whole by one thread, so the result does not depend on threads.
        if (differences.Cost * v >= ParallelThreshold) Parallel.For(0, v, One);
        else
            for (int j = 0; j < v; j++) One(j);
    }

    /// <summary>The replicate totals by reading every replicate weight (designs whose replicates change most rows).</summary>
    private static void Dense(double[][] columns, IReadOnlyList<double[]> variables, int[] rowDomain, int d, double[][] sums)
    {
        int n = rowDomain.Length, r = columns.Length, v = variables.Count;
        int parts = (long)n * r * Math.Max(1, v) >= ParallelThreshold ? Math.Min(Environment.ProcessorCount, Math.Max(1, r / Vector<double>.Count)) : 1;
        if (parts <= 1)
        {
            Accumulate(columns, variables, rowDomain, d, sums, 0, r);
        }
        else
        {
            Parallel.For(0, parts, part =>
            {
                int from = (int)((long)r * part / parts), to = (int)((long)r * (part + 1) / parts);
                Accumulate(columns, variables, rowDomain, d, sums, from, to);
            });
        }
    }

    /// <summary>Adds w_ri·y_i to sums[variable·d + domain][r] for replicates r in [from, to), rows in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate(double[][] columns, IReadOnlyList<double[]> variables, int[] rowDomain, int d, double[][] sums, int from, int to)
    {
        int width = to - from, n = rowDomain.Length, v = variables.Count;
        if (width <= 0) return;
        int block = Math.Clamp(32_768 / width, 8, 1024);
        var transposed = new double[block * width];
        var y = variables as double[][] ?? [.. variables];
        for (int start = 0; start < n; start += block)
        {
            int rows = Math.Min(block, n - start);
            for (int rep = 0; rep < width; rep++)
            {
                var column = columns[from + rep];
                for (int b = 0; b < rows; b++) transposed[b * width + rep] = column[start + b];
            }

            for (int b = 0; b < rows; b++)
            {
                int i = start + b, k = rowDomain[i];
                if (k < 0) continue;
                var weights = transposed.AsSpan(b * width, width);
                for (int j = 0; j < v; j++)
                {
                    double value = y[j][i];
                    if (value == 0 || double.IsNaN(value)) continue;
                    AddScaled(sums[j * d + k].AsSpan(from, width), weights, value);
                }
            }
        }
    }

    /// <summary>sum[r] += weights[r]·value, a separate multiply and add per lane (no fused multiply-add, as the scalar loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddScaled(Span<double> sum, ReadOnlySpan<double> weights, double value)
    {
        int lanes = Vector<double>.Count, r = 0;
        if (Vector.IsHardwareAccelerated && sum.Length >= lanes)
        {
            var factor = new Vector<double>(value);
            for (; r <= sum.Length - lanes; r += lanes)
            {
                var product = new Vector<double>(weights[r..]) * factor;
                (new Vector<double>(sum[r..]) + product).CopyTo(sum[r..]);
            }
        }

        for (; r < sum.Length; r++) sum[r] += weights[r] * value;
    }
}
