using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ContributionIndex.Estimation;

/// <summary>
/// Replicate weights stored by what they change. Replicate r has a factor c_r for all rows, optionally a group G_r of rows
/// (shared with other replicates) that take a factor a_r instead, and a few residual rows R_r with their own weight:
/// w_ri = a_r·w_i in G_r \ R_r, the stored w_ri in R_r, c_r·w_i elsewhere, each bit for bit.
/// </summary>
/// <remarks>
/// <para>
/// Jackknives fit this form. A JKn replicate deleting PSU j of stratum h has c_r = 1, G_r = the rows of stratum h,
/// a_r = n_h/(n_h−1) and R_r = the rows of PSU j (when stratum h holds most rows: c_r = n_h/(n_h−1) and G_r = the other
/// strata, a_r = 1); a JK1 replicate has c_r = n/(n−1), no group and R_r = the rows of the deleted PSU. A replicate
/// total over a domain is then
/// θ_r = c_r·θ + (a_r − c_r)·θ_G + Σ_{i∈R_r} e_ri·y_i, with θ = Σ w_i y_i the full-sample total, θ_G = Σ_{i∈G} w_i y_i
/// computed once per group, and e_ri = w_ri minus what the first two terms give row i: O(n + Σ|R_r| + R·d) per variable
/// instead of O(n·R).
/// </para>
/// <para>
/// This is the dense sum Σ w_ri y_i regrouped, so it differs from it only by rounding (each term is at most a few
/// roundings of the size of the full-sample total). One case is made exact: a sum whose products are all zero (every row
/// of the domain deleted) is +0 in the dense loop, and is set to +0 here, so that a replicate whose domain is empty still
/// gives 0/0 = NaN for a mean and is dropped as R drops it (<c>na.omit</c>), instead of a ratio of rounding residues.
/// </para>
/// </remarks>
internal sealed class ReplicateDifferences
{
    /// <summary>How many rows are sampled to guess a replicate's factors.</summary>
    private const int SampleRows = 32;

    private ReplicateDifferences(double[] factors, int[] groupOf, double[] groupCoefficients, int[] groupOffsets, int[] groupRows,
        int[] offsets, int[] rows, double[] differences, sbyte[] nonZeroChange)
    {
        Factors = factors;
        GroupOf = groupOf;
        GroupCoefficients = groupCoefficients;
        GroupOffsets = groupOffsets;
        GroupRows = groupRows;
        Offsets = offsets;
        Rows = rows;
        Differences = differences;
        NonZeroChange = nonZeroChange;
    }

    /// <summary>c_r, one per replicate.</summary>
    public double[] Factors { get; }

    /// <summary>The group of each replicate, −1 for none.</summary>
    public int[] GroupOf { get; }

    /// <summary>a_r − c_r of each replicate (0 without a group).</summary>
    public double[] GroupCoefficients { get; }

    /// <summary>The rows of group g are GroupRows[GroupOffsets[g] .. GroupOffsets[g + 1]), increasing.</summary>
    public int[] GroupOffsets { get; }

    /// <summary>The rows of every group, group after group.</summary>
    public int[] GroupRows { get; }

    /// <summary>Residual entries of replicate r are [Offsets[r], Offsets[r + 1]).</summary>
    public int[] Offsets { get; }

    /// <summary>The row of each residual entry, increasing within a replicate.</summary>
    public int[] Rows { get; }

    /// <summary>e_ri of each residual entry: w_ri − a_r·w_i when the row is in the replicate's group, else w_ri − c_r·w_i.</summary>
    public double[] Differences { get; }

    /// <summary>[w_ri ≠ 0] − [w_i ≠ 0] of each residual entry: how it changes the count of non-zero weights.</summary>
    public sbyte[] NonZeroChange { get; }

    /// <summary>The number of groups.</summary>
    public int GroupCount => GroupOffsets.Length - 1;

    /// <summary>The rows read per variable besides the full-sample pass: group rows plus residual entries.</summary>
    public long Cost => (long)GroupRows.Length + Rows.Length;

    /// <summary>
    /// One replicate's exceptions E (rows not matching c), and, when some of them follow a second factor a, the residual
    /// rows R ⊂ E that do not (a is NaN when none do). The group is E or E \ R, whichever other replicates share.
    /// </summary>
    private readonly record struct Plan(double Factor, int[] Exceptions, double GroupFactor, int[] Residual)
    {
        public bool HasGroupFactor => !double.IsNaN(GroupFactor);

        /// <summary>Rows read for this replicate besides its group.</summary>
        public long Cost => HasGroupFactor ? Residual.Length : Exceptions.Length;
    }

    /// <summary>
    /// The sparse form of <paramref name="columns"/>, or null when it would read more than n·R/4 rows per variable
    /// (bootstrap, BRR, Fay, calibrated replicates), where the dense loop is as fast.
    /// </summary>
    /// <remarks>A sparse entry costs about twice a dense one (an indirect row, a zero count), hence the budget.</remarks>
    public static ReplicateDifferences? Detect(double[] weights, double[][] columns)
    {
        int n = weights.Length, r = columns.Length;
        long budget = Budget(n, r);
        if (budget == 0) return null;
        var plans = new Plan[r];
        long total = 0;
        bool dense = false;

        void One(int k, ParallelLoopState? state)
        {
            var column = columns[k];
            var (factor, count) = Factor(weights, column);
            if (count > budget)
            {
                Volatile.Write(ref dense, true);
                state?.Stop();
                return;
            }

            var exceptions = new int[count];
            int e = 0;
            for (int i = 0; i < n; i++)
                if (!Matches(weights[i], column[i], factor)) exceptions[e++] = i;
            plans[k] = Refine(weights, factor, exceptions, i => column[i]);
            if (Interlocked.Add(ref total, plans[k].Cost) > budget)
            {
                Volatile.Write(ref dense, true);
                state?.Stop();
            }
        }

        // Replicates are independent; each one's form depends only on its own column, so threads do not change the result.
        if ((long)n * r >= 1_000_000) Parallel.For(0, r, (k, state) => One(k, state));
        else
            for (int k = 0; k < r && !dense; k++) One(k, null);
        return Volatile.Read(ref dense) ? null : Assemble(weights, plans, budget, (k, i) => columns[k][i]);
    }

    /// <summary>
    /// The sparse form of the replicate weights w_i·m_r[PSU of i] (replicates built from strata and PSUs), found from the
    /// multipliers without the n × R columns; null when over the budget of <see cref="Detect"/>.
    /// </summary>
    /// <remarks>
    /// c_r is the multiplier of the most rows (1 when it covers half of them); only rows of PSUs with another multiplier can
    /// be exceptions, and they are under the same rule as in <see cref="Detect"/>, with the weight m·w_i computed as the
    /// expanded column computes it.
    /// </remarks>
    public static ReplicateDifferences? FromMultipliers(double[] weights, int[] rowPsu, IReadOnlyList<double[]> psuMultipliers)
    {
        int n = weights.Length, r = psuMultipliers.Count;
        long budget = Budget(n, r);
        if (budget == 0) return null;
        int psuCount = psuMultipliers[0].Length;
        var start = new int[psuCount + 1];
        foreach (var p in rowPsu) start[p + 1]++;
        for (int p = 0; p < psuCount; p++) start[p + 1] += start[p];
        var psuRows = new int[n];
        var fill = (int[])start.Clone();
        for (int i = 0; i < n; i++) psuRows[fill[rowPsu[i]]++] = i;

        var plans = new Plan[r];
        var covered = new Dictionary<long, int>();
        var exceptions = new List<int>();
        long total = 0;
        for (int k = 0; k < r; k++)
        {
            var m = psuMultipliers[k];
            int ones = 0;
            for (int p = 0; p < psuCount; p++)
                if (m[p] == 1.0) ones += start[p + 1] - start[p];
            double factor = 1.0;
            if (2L * ones < n)
            {
                covered.Clear();
                for (int p = 0; p < psuCount; p++)
                {
                    long bits = BitConverter.DoubleToInt64Bits(m[p]);
                    covered[bits] = covered.GetValueOrDefault(bits) + start[p + 1] - start[p];
                }

                int best = ones;
                foreach (var (bits, count) in covered)
                {
                    double candidate = BitConverter.Int64BitsToDouble(bits);
                    if (count > best && candidate != 0 && double.IsFinite(candidate)) (factor, best) = (candidate, count);
                }
            }

            exceptions.Clear();
            long factorBits = BitConverter.DoubleToInt64Bits(factor);
            for (int p = 0; p < psuCount; p++)
            {
                if (BitConverter.DoubleToInt64Bits(m[p]) == factorBits) continue;
                for (int j = start[p]; j < start[p + 1]; j++)
                {
                    int i = psuRows[j];
                    if (!Matches(weights[i], m[p] * weights[i], factor)) exceptions.Add(i);
                }
            }

            var sorted = exceptions.ToArray();
            Array.Sort(sorted);
            plans[k] = Refine(weights, factor, sorted, i => m[rowPsu[i]] * weights[i]);
            total += plans[k].Cost;
            if (total > budget) return null;
        }

        return Assemble(weights, plans, budget, (k, i) => psuMultipliers[k][rowPsu[i]] * weights[i]);
    }

    /// <summary>At most n·R/4 rows read per variable.</summary>
    private static long Budget(int rows, int replicates) => (long)rows * replicates / 4;

    /// <summary>A row needs no entry when its replicate weight is c·w bit for bit and is zero exactly when w is.</summary>
    private static bool Matches(double weight, double replicateWeight, double factor) =>
        BitConverter.DoubleToInt64Bits(factor * weight) == BitConverter.DoubleToInt64Bits(replicateWeight) && (replicateWeight == 0) == (weight == 0);

    /// <summary>The factor c (1, or the best ratio w_ri/w_i of sampled rows) leaving the fewest rows unmatched, and that count.</summary>
    private static (double Factor, int Count) Factor(double[] weights, double[] column)
    {
        int unmatched = Count(weights, column, 1.0);
        if (unmatched == 0) return (1.0, 0);
        double best = BestRatio(weights.Length, i => i, weights, i => column[i]);
        if (best == 1.0 || double.IsNaN(best)) return (1.0, unmatched);
        int other = Count(weights, column, best);
        return other < unmatched ? (best, other) : (1.0, unmatched);
    }

    /// <summary>
    /// The factor a that reproduces, bit for bit, the most replicate weights a·w_i among up to <see cref="SampleRows"/>
    /// evenly spaced rows row(0..count−1) with w_i &gt; 0 and w_ri ≠ 0, or NaN when there are none.
    /// </summary>
    /// <remarks>
    /// A weight made as fl(m·w) gives a ratio fl(fl(m·w)/w) that is m or one of its two neighbours (|m·δ| &lt; ulp(m)), so
    /// each sampled ratio and its neighbours are the candidates.
    /// </remarks>
    private static double BestRatio(int count, Func<int, int> row, double[] weights, Func<int, double> replicateWeight)
    {
        int samples = Math.Min(SampleRows, count);
        Span<double> w = stackalloc double[SampleRows];
        Span<double> wr = stackalloc double[SampleRows];
        int sampled = 0;
        for (int s = 0; s < samples; s++)
        {
            int i = row((int)((long)s * count / samples));
            double value = replicateWeight(i), ratio = value / weights[i];
            if (weights[i] > 0 && value != 0 && double.IsFinite(ratio) && ratio != 0) (w[sampled], wr[sampled++]) = (weights[i], value);
        }

        double best = double.NaN;
        int bestScore = 0;
        for (int s = 0; s < sampled && bestScore < sampled; s++)
        {
            double ratio = wr[s] / w[s];
            foreach (var candidate in (ReadOnlySpan<double>)[ratio, Math.BitDecrement(ratio), Math.BitIncrement(ratio)])
            {
                int score = 0;
                for (int t = 0; t < sampled; t++)
                    if (BitConverter.DoubleToInt64Bits(candidate * w[t]) == BitConverter.DoubleToInt64Bits(wr[t])) score++;
                if (score > bestScore) (best, bestScore) = (candidate, score);
            }
        }

        return best;
    }

    private static int Count(double[] weights, double[] column, double factor)
    {
        int count = 0;
        for (int i = 0; i < weights.Length; i++)
            if (!Matches(weights[i], column[i], factor)) count++;
        return count;
    }

    /// <summary>
    /// Finds a second factor a followed by some of the exceptions (a JKn replicate's stratum, rescaled by n_h/(n_h−1) but
    /// for the deleted PSU; or, when that stratum holds most rows and c = n_h/(n_h−1), the other strata at 1).
    /// </summary>
    private static Plan Refine(double[] weights, double factor, int[] exceptions, Func<int, double> replicateWeight)
    {
        var none = new Plan(factor, exceptions, double.NaN, exceptions);
        if (exceptions.Length < 2) return none;
        double groupFactor = BestRatio(exceptions.Length, j => exceptions[j], weights, replicateWeight);
        if (double.IsNaN(groupFactor) || groupFactor == factor) return none;
        var residual = new List<int>();
        foreach (var i in exceptions)
            if (!Matches(weights[i], replicateWeight(i), groupFactor)) residual.Add(i);
        return residual.Count < exceptions.Length ? new Plan(factor, exceptions, groupFactor, [.. residual]) : none;
    }

    /// <summary>
    /// Lays the plans out. A replicate with a second factor takes as its group E (then its residual rows are relative to
    /// a) or E \ R (relative to c), whichever more replicates produce; a set no other replicate produces would cost more
    /// than it saves, so then all of E stays residual rows. Equal groups are stored once. Null when the rows read per
    /// variable exceed the budget.
    /// </summary>
    private static ReplicateDifferences? Assemble(double[] weights, Plan[] plans, long budget, Func<int, int, double> replicateWeight)
    {
        int r = plans.Length;
        var sets = new List<int[]>();
        var produced = new List<int>();
        var byHash = new Dictionary<int, List<int>>();
        int Id(int[] rows)
        {
            int key = Hash(rows);
            if (!byHash.TryGetValue(key, out var candidates)) byHash[key] = candidates = [];
            foreach (var id in candidates)
                if (sets[id].AsSpan().SequenceEqual(rows)) return id;
            candidates.Add(sets.Count);
            sets.Add(rows);
            produced.Add(0);
            return sets.Count - 1;
        }

        var whole = new int[r];
        var matched = new int[r];
        for (int k = 0; k < r; k++)
        {
            whole[k] = matched[k] = -1;
            if (!plans[k].HasGroupFactor) continue;
            whole[k] = Id(plans[k].Exceptions);
            produced[whole[k]]++;
            matched[k] = Id([.. plans[k].Exceptions.Except(plans[k].Residual)]);
            if (matched[k] != whole[k]) produced[matched[k]]++;
        }

        // Group and residual base of each replicate; set ids renumbered to the groups actually used.
        var groupOf = new int[r];
        var coefficients = new double[r];
        var bases = new double[r];
        var residuals = new int[r][];
        var groupIndex = new Dictionary<int, int>();
        var groups = new List<int[]>();
        long cost = 0;
        for (int k = 0; k < r; k++)
        {
            var plan = plans[k];
            groupOf[k] = -1;
            bases[k] = plan.Factor;
            residuals[k] = plan.Exceptions;
            if (plan.HasGroupFactor && Math.Max(produced[whole[k]], produced[matched[k]]) >= 2)
            {
                bool useWhole = produced[whole[k]] >= produced[matched[k]];
                int set = useWhole ? whole[k] : matched[k];
                if (!groupIndex.TryGetValue(set, out int g))
                {
                    groupIndex[set] = g = groups.Count;
                    groups.Add(sets[set]);
                    cost += sets[set].Length;
                }

                groupOf[k] = g;
                coefficients[k] = plan.GroupFactor - plan.Factor;
                bases[k] = useWhole ? plan.GroupFactor : plan.Factor;
                residuals[k] = plan.Residual;
            }

            cost += residuals[k].Length;
        }

        if (cost > budget) return null;

        var groupOffsets = new int[groups.Count + 1];
        for (int g = 0; g < groups.Count; g++) groupOffsets[g + 1] = groupOffsets[g] + groups[g].Length;
        var allGroupRows = new int[groupOffsets[^1]];
        for (int g = 0; g < groups.Count; g++) groups[g].CopyTo(allGroupRows, groupOffsets[g]);

        var offsets = new int[r + 1];
        for (int k = 0; k < r; k++) offsets[k + 1] = offsets[k] + residuals[k].Length;
        var rows = new int[offsets[r]];
        var differences = new double[offsets[r]];
        var changes = new sbyte[offsets[r]];
        for (int k = 0; k < r; k++)
        {
            var residual = residuals[k];
            for (int j = 0; j < residual.Length; j++)
            {
                int i = residual[j], e = offsets[k] + j;
                double w = replicateWeight(k, i);
                rows[e] = i;
                differences[e] = w - bases[k] * weights[i];
                changes[e] = (sbyte)((w != 0 ? 1 : 0) - (weights[i] != 0 ? 1 : 0));
            }
        }

        return new ReplicateDifferences([.. plans.Select(p => p.Factor)], groupOf, coefficients, groupOffsets, allGroupRows, offsets, rows, differences, changes);
    }

    private static int Hash(int[] rows)
    {
        var hash = new HashCode();
        hash.AddBytes(MemoryMarshal.AsBytes(rows.AsSpan()));
        return hash.ToHashCode();
    }

    /// <summary>True when <paramref name="values"/> has no infinite value in a row of some domain (then the regrouped sums are the dense sums up to rounding).</summary>
    public static bool Applies(ReadOnlySpan<double> values, int[] rowDomain)
    {
        for (int i = 0; i < values.Length; i++)
            if (rowDomain[i] >= 0 && double.IsInfinity(values[i])) return false;
        return true;
    }

    /// <summary>
    /// Replicate totals output[r·d + k] = Σ_{i∈k} w_ri·v_i from the full-sample totals <paramref name="full"/>[k] = Σ_{i∈k} w_i·v_i,
    /// with v = <paramref name="values"/> or, when it is empty, 1.
    /// </summary>
    /// <param name="weights">The full-sample weights.</param>
    /// <param name="values">Values per row (finite in every row of a domain, see <see cref="Applies"/>), or empty for 1.</param>
    /// <param name="rowDomain">The domain of each row, −1 for rows left out (outside every domain or missing value).</param>
    /// <param name="full">The full-sample total of each domain, summed in row order.</param>
    /// <param name="output">R·d replicate totals, replicate-major.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Totals(ReadOnlySpan<double> weights, ReadOnlySpan<double> values, int[] rowDomain, ReadOnlySpan<double> full, Span<double> output)
    {
        int d = full.Length, r = Factors.Length;
        bool ones = values.IsEmpty;

        // Rows of each domain whose product w_i·v_i is non-zero; residual entries adjust the count per replicate.
        var fullNonZero = new int[d];
        for (int i = 0; i < rowDomain.Length; i++)
        {
            int k = rowDomain[i];
            if (k >= 0 && weights[i] != 0 && (ones || values[i] != 0)) fullNonZero[k]++;
        }

        // θ_G of every group and domain, rows in order.
        var groupTotals = new double[GroupCount * d];
        for (int g = 0; g < GroupCount; g++)
        {
            var sums = groupTotals.AsSpan(g * d, d);
            for (int j = GroupOffsets[g]; j < GroupOffsets[g + 1]; j++)
            {
                int i = GroupRows[j], k = rowDomain[i];
                if (k >= 0) sums[k] += ones ? weights[i] : weights[i] * values[i];
            }
        }

        var nonZero = new int[d];
        var rows = Rows;
        var differences = Differences;
        var changes = NonZeroChange;
        for (int rep = 0; rep < r; rep++)
        {
            var sums = output.Slice(rep * d, d);
            double factor = Factors[rep];
            for (int k = 0; k < d; k++) sums[k] = factor * full[k];
            if (GroupOf[rep] is var g and >= 0)
            {
                double coefficient = GroupCoefficients[rep];
                var group = groupTotals.AsSpan(g * d, d);
                for (int k = 0; k < d; k++) sums[k] += coefficient * group[k];
            }

            fullNonZero.CopyTo(nonZero, 0);
            int end = Offsets[rep + 1];
            if (ones)
            {
                for (int e = Offsets[rep]; e < end; e++)
                {
                    int k = rowDomain[rows[e]];
                    if (k < 0) continue;
                    sums[k] += differences[e];
                    nonZero[k] += changes[e];
                }
            }
            else
            {
                for (int e = Offsets[rep]; e < end; e++)
                {
                    int i = rows[e], k = rowDomain[i];
                    if (k < 0) continue;
                    double v = values[i];
                    sums[k] += differences[e] * v;
                    if (v != 0) nonZero[k] += changes[e];
                }
            }

            // Every product zero: the dense sum is exactly +0, not the rounding residue of the regrouped sum.
            for (int k = 0; k < d; k++)
                if (nonZero[k] == 0) sums[k] = 0;
        }
    }
}
