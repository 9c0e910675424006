namespace ContributionIndex.Estimation;

/// <summary>Builds replicate weights from a Taylor design's strata and PSUs (R <c>as.svrepdesign</c> with JK1, JKn or bootstrap).</summary>
public static class ReplicateConversion
{
    /// <summary>Delete-one-PSU jackknife for an unstratified design (R <c>as.svrepdesign(design, type = "JK1")</c>).</summary>
    /// <remarks>Replicate k gives PSU k weight 0 and the other PSUs factor n/(n−1); scale = f·(n−1)/n with f = (N−n)/N (1 without fpc).</remarks>
    /// <exception cref="EstimationException">The design is stratified, or all PSUs were sampled.</exception>
    public static ReplicateDesign Jk1(TaylorDesign design, bool mse = false)
    {
        ArgumentNullException.ThrowIfNull(design);
        if (design.HasStrata)
            throw new EstimationException("JK1 replicates cannot be built for a stratified design (R: \"Can't use JK1 for a stratified design\"); use JKn or bootstrap.");
        int n = design.PsuCount;
        double f = design.StratumFinitePopulationFactor[0];
        if (f == 0)
            throw new EstimationException("Every PSU of the population was sampled (fpc equals the number of PSUs), so there is no sampling variance to replicate.");
        var multipliers = new double[n][];
        for (int k = 0; k < n; k++)
        {
            var m = new double[n];
            Array.Fill(m, n / (n - 1.0));
            m[k] = 0;
            multipliers[k] = m;
        }
        var rscales = Enumerable.Repeat(1.0, n).ToArray();
        return FromMultipliers(design, multipliers, ReplicateMethod.Jk1, f * (n - 1) / n, rscales, mse);
    }

    /// <summary>Stratified delete-one-PSU jackknife (R <c>as.svrepdesign(design, type = "JKn")</c> via <c>jknweights</c>).</summary>
    /// <remarks>
    /// One replicate per PSU: within its stratum h the PSU gets weight 0 and the others n_h/(n_h−1); rscale = f_h(n_h−1)/n_h.
    /// Census strata (f_h = 0) give no replicates. A stratum with one PSU follows the design's lonely-PSU policy as R does:
    /// fail stops, remove/certainty/average give no replicate (average then multiplies scale by #PSUs/#replicates), and
    /// adjust adds a replicate that zeroes the stratum and multiplies all others by H/(H−1), with rscale (H−1)/H.
    /// </remarks>
    /// <exception cref="EstimationException">The design is unstratified, a lonely PSU meets the fail policy, or every stratum is a census.</exception>
    public static ReplicateDesign Jkn(TaylorDesign design, bool mse = false)
    {
        ArgumentNullException.ThrowIfNull(design);
        if (!design.HasStrata)
            throw new EstimationException("JKn replicates need a stratified design (R: \"Must use JK1 or bootstrap for an unstratified design\"); use JK1.");
        int strataCount = design.StratumCount, psuCount = design.PsuCount;
        var multipliers = new List<double[]>();
        var rscales = new List<double>();
        for (int h = 0; h < strataCount; h++)
        {
            int nh = design.StratumPsuCount[h];
            double f = design.StratumFinitePopulationFactor[h];
            if (f == 0) continue;
            if (nh == 1)
            {
                switch (design.LonelyPsu)
                {
                    case LonelyPsuPolicy.Fail:
                        throw new EstimationException($"Stratum ({design.StratumLabels[h]}) has only one PSU, so no jackknife replicate can be formed; merge it with a similar stratum or choose a lonely-PSU policy.");
                    case LonelyPsuPolicy.Adjust:
                        var adjust = new double[psuCount];
                        for (int p = 0; p < psuCount; p++)
                            adjust[p] = design.PsuStratum[p] == h ? 0 : strataCount / (strataCount - 1.0);
                        multipliers.Add(adjust);
                        rscales.Add((strataCount - 1.0) / strataCount);
                        continue;
                    default:
                        continue;
                }
            }
            for (int p = 0; p < psuCount; p++)
            {
                if (design.PsuStratum[p] != h) continue;
                var m = new double[psuCount];
                for (int q = 0; q < psuCount; q++)
                    m[q] = design.PsuStratum[q] != h ? 1.0 : q == p ? 0.0 : nh / (nh - 1.0);
                multipliers.Add(m);
                rscales.Add(f * (nh - 1) / nh);
            }
        }
        if (multipliers.Count == 0)
            throw new EstimationException("All strata were sampled exhaustively (census), so there is no sampling variance to replicate.");
        double scale = 1;
        if (multipliers.Count < psuCount && design.LonelyPsu == LonelyPsuPolicy.Average)
            scale = (double)psuCount / multipliers.Count;
        return FromMultipliers(design, multipliers, ReplicateMethod.Jkn, scale, rscales.ToArray(), mse);
    }

    /// <summary>Rao–Wu bootstrap replicates drawn with a seeded generator (R <c>as.svrepdesign(design, type = "bootstrap")</c> via <c>bootweights</c>).</summary>
    /// <remarks>
    /// In each stratum n_h PSUs are drawn with replacement (with an fpc: n_h without replacement from the pseudo-population
    /// that repeats the sampled PSUs up to N_h units); a PSU's multiplier is the number of times it was drawn.
    /// scale = n̄/((n̄−1)(R−1)) with n̄ the harmonic mean of the n_h; rscales = 1. R's own random numbers cannot be
    /// reproduced, so the same seed gives the same replicates only within this library.
    /// </remarks>
    /// <exception cref="EstimationException">Fewer than two replicates are asked for, or every stratum has one PSU.</exception>
    public static ReplicateDesign Bootstrap(TaylorDesign design, int replicates, ulong seed, bool mse = false)
    {
        ArgumentNullException.ThrowIfNull(design);
        if (replicates < 2)
            throw new EstimationException(FormattableString.Invariant($"{replicates} bootstrap replicates were asked for; at least two are needed."));
        int strataCount = design.StratumCount, psuCount = design.PsuCount;
        var members = new List<int>[strataCount];
        for (int h = 0; h < strataCount; h++) members[h] = [];
        for (int p = 0; p < psuCount; p++) members[design.PsuStratum[p]].Add(p);
        double inverseSum = 0;
        for (int h = 0; h < strataCount; h++) inverseSum += 1.0 / members[h].Count;
        double harmonicMean = strataCount / inverseSum;
        if (harmonicMean <= 1)
            throw new EstimationException("Every stratum has a single PSU, so bootstrap replicates carry no variance; merge strata first.");

        var random = new SplitMixXoshiro(seed);
        var multipliers = new double[replicates][];
        for (int k = 0; k < replicates; k++) multipliers[k] = new double[psuCount];
        for (int h = 0; h < strataCount; h++)
        {
            var units = members[h];
            int nh = units.Count;
            double f = design.StratumFinitePopulationFactor[h];
            int[]? pseudoPopulation = null;
            if (design.HasFpc && f < 1)
            {
                // N_h = n_h / (1 − f_h); R repeats the sampled PSUs up to length N_h (rep(upsu, length = popsize)).
                int population = (int)Math.Floor(nh / (1 - f) + 1e-9);
                pseudoPopulation = new int[population];
                for (int u = 0; u < population; u++) pseudoPopulation[u] = units[u % nh];
            }
            for (int k = 0; k < replicates; k++)
            {
                var m = multipliers[k];
                if (pseudoPopulation is null)
                {
                    for (int draw = 0; draw < nh; draw++) m[units[random.NextBelow(nh)]] += 1;
                }
                else
                {
                    // Partial Fisher–Yates: n_h draws without replacement from the pseudo-population.
                    var pool = (int[])pseudoPopulation.Clone();
                    for (int draw = 0; draw < nh; draw++)
                    {
                        int pick = draw + random.NextBelow(pool.Length - draw);
                        (pool[draw], pool[pick]) = (pool[pick], pool[draw]);
                        m[pool[draw]] += 1;
                    }
                }
            }
        }
        var rscales = Enumerable.Repeat(1.0, replicates).ToArray();
        double scale = harmonicMean / ((harmonicMean - 1) * (replicates - 1));
        return FromMultipliers(design, multipliers, ReplicateMethod.Bootstrap, scale, rscales, mse);
    }

    /// <summary>
    /// R's degf (rank of the replicate weights − 1) from the PSU × replicate multiplier matrix: rows of the weight matrix are
    /// a PSU's multipliers scaled by positive row weights, so only PSUs with positive weight matter and each once.
    /// This costs P·R·rank instead of n·R·rank; for jackknives, whose columns are one common multiplier except in a few
    /// PSUs, the Gram matrix is built from those PSUs alone (<see cref="ReplicateRank.OfScaledOnesPlusSparse"/>).
    /// </summary>
    private static double RankDf(TaylorDesign design, IReadOnlyList<double[]> psuMultipliers)
    {
        var weighted = new bool[design.PsuCount];
        for (int i = 0; i < design.RowCount; i++)
            if (design.SamplingWeights[i] > 0) weighted[design.RowPsu[i]] = true;
        var rows = Enumerable.Range(0, design.PsuCount).Where(p => weighted[p]).ToArray();
        int r = psuMultipliers.Count, n = rows.Length;
        var compressed = new double[r][];
        for (int a = 0; a < r; a++)
        {
            var m = psuMultipliers[a];
            var column = new double[n];
            for (int p = 0; p < n; p++) column[p] = m[rows[p]];
            compressed[a] = column;
        }

        if (r > n) return ReplicateRank.Of(compressed) - 1;

        // Each column as its most frequent multiplier c (1 when it is at least half of them) plus the PSUs where it differs.
        var factors = new double[r];
        var offsets = new int[r + 1];
        var index = new List<int>();
        var values = new List<double>();
        var frequency = new Dictionary<double, int>();
        for (int a = 0; a < r; a++)
        {
            var column = compressed[a];
            double factor = 1.0;
            int ones = 0;
            foreach (var m in column)
                if (m == 1.0) ones++;
            if (2 * ones < n)
            {
                frequency.Clear();
                foreach (var m in column) frequency[m] = frequency.GetValueOrDefault(m) + 1;
                factor = frequency.MaxBy(kv => kv.Value).Key;
            }

            for (int p = 0; p < n; p++)
            {
                if (column[p] == factor) continue;
                index.Add(p);
                values.Add(column[p] - factor);
            }

            factors[a] = factor;
            offsets[a + 1] = index.Count;
            if ((long)index.Count * 8 > (long)n * r) return ReplicateRank.Of(compressed) - 1;
        }

        return ReplicateRank.OfScaledOnesPlusSparse(n, factors, offsets, [.. index], [.. values]) - 1;
    }

    /// <summary>The design of replicate weights w_i·multiplier[PSU of i]: differences from the multipliers now, weight columns when first asked for.</summary>
    private static ReplicateDesign FromMultipliers(TaylorDesign design, IReadOnlyList<double[]> multipliers, ReplicateMethod method, double scale, double[] rscales, bool mse) =>
        ReplicateDesign.FromMultipliers(design.SamplingWeights, design.RowPsu, multipliers, () => Expand(design, multipliers), method, scale, rscales, mse,
            RankDf(design, multipliers));

    private static double[][] Expand(TaylorDesign design, IReadOnlyList<double[]> psuMultipliers)
    {
        var weights = design.SamplingWeights;
        var rowPsu = design.RowPsu;
        var columns = new double[psuMultipliers.Count][];
        void Column(int k)
        {
            var m = psuMultipliers[k];
            var column = new double[weights.Length];
            for (int i = 0; i < column.Length; i++) column[i] = m[rowPsu[i]] * weights[i];
            columns[k] = column;
        }

        // Columns are independent: large designs fill them on all cores (the values do not depend on who computes them).
        if ((long)columns.Length * weights.Length >= 1_000_000) Parallel.For(0, columns.Length, Column);
        else for (int k = 0; k < columns.Length; k++) Column(k);
        return columns;
    }
}

/// <summary>xoshiro256** seeded by SplitMix64: a small, documented generator whose output never changes with the .NET version.</summary>
internal sealed class SplitMixXoshiro
{
    private ulong s0, s1, s2, s3;

    public SplitMixXoshiro(ulong seed)
    {
        ulong x = seed;
        s0 = SplitMix(ref x);
        s1 = SplitMix(ref x);
        s2 = SplitMix(ref x);
        s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong Next()
    {
        ulong result = ulong.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>A uniform integer in [0, bound) without modulo bias (Lemire's multiply-and-reject).</summary>
    public int NextBelow(int bound)
    {
        ulong b = (ulong)bound;
        while (true)
        {
            ulong x = Next();
            UInt128 product = (UInt128)x * b;
            ulong low = (ulong)product;
            if (low >= b || low >= (0UL - b) % b) return (int)(product >> 64);
        }
    }
}
