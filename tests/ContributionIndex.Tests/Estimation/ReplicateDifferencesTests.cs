using ContributionIndex.Estimation;
using FsCheck.Xunit;

namespace ContributionIndex.Tests.Estimation;

/// <summary>
/// Replicate totals from weight changes (<see cref="ReplicateDifferences"/>) against the dense loop over every replicate
/// weight (<see cref="ReplicateDesign.Dense"/>): the same sums regrouped, so equal up to rounding.
/// </summary>
public sealed class ReplicateDifferencesTests
{
    /// <summary>Estimates and their SEs agree with the dense loop to this relative difference.</summary>
    private const double Relative = 1e-12;

    /// <summary>
    /// An SE that is rounding noise (a mean of a constant, an exact census) differs by noise; it may differ by this much
    /// of the estimate (about 50 ε).
    /// </summary>
    private const double NoiseOfEstimate = 1e-14;

    private enum Kind
    {
        Jkn,
        Jk1,
        DeclaredJkn,
        DeclaredJknEdited,
    }

    private sealed record Sample(ReplicateDesign Design, double[] Y, double[] X, string?[] Category, DomainPartition[] Partitions);

    /// <summary>
    /// A random clustered sample: 4–8 strata of 3–6 PSUs (a lonely PSU in one of three samples) of 2–6 rows, or 4–14 PSUs
    /// of 1–6 rows for JK1 (enough replicates for the sparse form: JKn reads about 2n rows, JK1 n, the budget is n·R/4);
    /// weights 1–500 with some zero;
    /// y with NaN, 0 and −0; x with NaN and 0; domains with unlabelled and excluded rows, including a domain inside one PSU.
    /// </summary>
    private static Sample Make(int seed, Kind kind)
    {
        var random = new Random(seed);
        bool stratified = kind != Kind.Jk1;
        var weights = new List<double>();
        var strata = new List<string>();
        var psus = new List<string>();
        int strataCount = stratified ? random.Next(4, 9) : 1;
        bool lonely = stratified && random.Next(3) == 0;
        for (int h = 0; h < strataCount; h++)
        {
            int psuCount = stratified ? (lonely && h == 0 ? 1 : random.Next(3, 7)) : random.Next(4, 15);
            for (int p = 0; p < psuCount; p++)
            {
                int rows = random.Next(stratified ? 2 : 1, 7);
                for (int i = 0; i < rows; i++)
                {
                    weights.Add(random.Next(10) == 0 ? 0 : Math.Round(1 + random.NextDouble() * 499, 3));
                    strata.Add("s" + h);
                    psus.Add("s" + h + "p" + p);
                }
            }
        }

        // At least one positive weight per PSU keeps every replicate meaningful.
        for (int i = 0; i < weights.Count; i++)
            if (i == 0 || psus[i] != psus[i - 1]) weights[i] = Math.Max(weights[i], 1);
        int n = weights.Count;
        var taylor = TaylorDesign.Create([.. weights], stratified ? strata : null, psus, lonelyPsu: lonely ? LonelyPsuPolicy.Adjust : LonelyPsuPolicy.Fail);
        var converted = stratified ? ReplicateConversion.Jkn(taylor) : ReplicateConversion.Jk1(taylor);
        var design = converted;
        if (kind is Kind.DeclaredJkn or Kind.DeclaredJknEdited)
        {
            var columns = Enumerable.Range(0, converted.ReplicateCount).Select(r => converted.ReplicateWeights(r).ToArray()).ToArray();
            if (kind == Kind.DeclaredJknEdited)
            {
                // A few changed weights no multiplier explains (a declared file's own adjustments): residual rows.
                for (int e = 0; e < 3; e++)
                {
                    var column = columns[random.Next(columns.Length)];
                    var changed = Enumerable.Range(0, n).Where(i => column[i] != weights[i]).ToArray();
                    column[changed[random.Next(changed.Length)]] = Math.Round(random.NextDouble() * 700, 2);
                }
            }

            design = ReplicateDesign.Create([.. weights], columns, ReplicateMethod.Jkn, rscales: converted.RScales.ToArray());
        }

        var y = new double[n];
        var x = new double[n];
        var category = new string?[n];
        var region = new string?[n];
        var include = new bool[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = random.Next(10) switch
            {
                0 => double.NaN,
                1 or 2 => 0,
                3 => -0.0,
                _ => Math.Round(random.NextDouble() * 100, 2),
            };
            x[i] = random.Next(10) switch
            {
                0 => double.NaN,
                1 => 0,
                _ => Math.Round(1 + random.NextDouble() * 20, 1),
            };
            category[i] = random.Next(8) switch { 0 => null, 1 or 2 or 3 => "a", _ => "b" };
            region[i] = random.Next(9) == 0 ? null : "r" + random.Next(3);
            include[i] = random.Next(12) != 0;
        }

        // A domain made of one PSU's rows: the replicate deleting that PSU leaves it empty (θ_r = 0/0, dropped).
        var onePsu = psus[random.Next(n)];
        var inOnePsu = psus.Select(p => p == onePsu ? "only" : null).ToArray();
        var partitions = new[]
        {
            DomainPartition.Whole(n),
            DomainPartition.Create(n, ["region"], [region], include),
            DomainPartition.Create(n, ["psu"], [inOnePsu]),
        };
        return new Sample(design, y, x, category, partitions);
    }

    private static IEnumerable<(string What, IReadOnlyList<SurveyEstimate> Estimates)> Estimates(ReplicateDesign design, Sample s, DomainPartition domains)
    {
        var keep = EstimationOptions.Default with { KeepComponents = true };
        yield return ("total", SurveyEstimator.Total(design, "y", s.Y, domains, keep));
        yield return ("mean", SurveyEstimator.Mean(design, "y", s.Y, domains, keep));
        yield return ("proportion", SurveyEstimator.Proportion(design, "c", s.Category, "a", domains, keep));
        yield return ("ratio", SurveyEstimator.Ratio(design, "y", s.Y, "x", s.X, domains, keep));
    }

    private static void AssertClose(double dense, double sparse, double tolerance, string what)
    {
        if (dense.Equals(sparse)) return; // also equal infinities (a ratio whose denominator total is 0)
        if (double.IsNaN(dense) || double.IsNaN(sparse))
        {
            Assert.True(double.IsNaN(dense) && double.IsNaN(sparse), $"{what}: dense {dense:R}, sparse {sparse:R}");
            return;
        }

        Assert.True(Math.Abs(dense - sparse) <= tolerance, $"{what}: dense {dense:R}, sparse {sparse:R}, |Δ| {Math.Abs(dense - sparse):R} > {tolerance:R}");
    }

    private static void AssertAgree(Sample s)
    {
        var dense = s.Design.Dense();
        foreach (var domains in s.Partitions)
        {
            foreach (var ((what, sparse), (_, reference)) in Estimates(s.Design, s, domains).Zip(Estimates(dense, s, domains)))
            {
                Assert.Equal(reference.Count, sparse.Count);
                for (int k = 0; k < sparse.Count; k++)
                {
                    var (a, b) = (reference[k], sparse[k]);
                    string at = $"{what} in {string.Join("/", a.Domain)}";
                    AssertClose(a.Value, b.Value, Relative * Math.Abs(a.Value), at + " estimate");
                    AssertClose(a.StandardError, b.StandardError, Relative * a.StandardError + NoiseOfEstimate * Math.Abs(a.Value), at + " SE");
                    // A design effect is compared when its variance is a sampling variance; when that is rounding noise (a
                    // constant, or ratio residuals all 0) the SRS variance is 0 or noise too and the quotient means nothing.
                    if (a.StandardError > 1e-8 * Math.Abs(a.Value))
                        AssertClose(a.DesignEffect, b.DesignEffect, Relative * Math.Abs(a.DesignEffect), at + " deff");
                    Assert.Equal(a.UnweightedCount, b.UnweightedCount);
                    // The same replicates are dropped: a NaN θ_r (empty replicate domain) stays NaN, and only it.
                    var (ra, rb) = ((ReplicateComponents)a.Components!, (ReplicateComponents)b.Components!);
                    Assert.Equal(ra.Replicates.Select(double.IsNaN), rb.Replicates.Select(double.IsNaN));
                }
            }

            // Quantiles keep the dense loop (their Woodruff interval is not continuous in the SE): the very same numbers.
            var median = SurveyEstimator.Quantile(s.Design, "y", s.Y, 0.5, domains);
            var denseMedian = SurveyEstimator.Quantile(dense, "y", s.Y, 0.5, domains);
            Assert.Equal(denseMedian, median);
        }
    }

    [Property(MaxTest = 150)]
    public void Converted_JKn_agrees_with_the_dense_loop(int seed)
    {
        var s = Make(seed, Kind.Jkn);
        Assert.NotNull(s.Design.Differences);
        AssertAgree(s);
    }

    [Property(MaxTest = 150)]
    public void Converted_JK1_agrees_with_the_dense_loop(int seed)
    {
        var s = Make(seed, Kind.Jk1);
        Assert.NotNull(s.Design.Differences);
        AssertAgree(s);
    }

    [Property(MaxTest = 150)]
    public void Declared_JKn_columns_are_found_sparse_and_agree_with_the_dense_loop(int seed)
    {
        var s = Make(seed, Kind.DeclaredJkn);
        Assert.NotNull(s.Design.Differences);
        AssertAgree(s);
        var edited = Make(seed, Kind.DeclaredJknEdited);
        Assert.NotNull(edited.Design.Differences);
        AssertAgree(edited);
    }

    [Fact]
    public void R_parity_designs_built_from_strata_and_PSUs_take_the_sparse_path()
    {
        // So that RParityTests check the regrouped sums against R: every converted JKn and JK1 design of golden.json.
        var converted = RGolden.Root.GetProperty("designs").EnumerateObject().Where(d => d.Value.GetProperty("kind").GetString() == "convert").ToArray();
        Assert.True(converted.Length >= 9, $"{converted.Length} converted designs");
        Assert.All(converted, d => Assert.NotNull(((ReplicateDesign)RGolden.Build(d.Value)).Differences));
    }

    [Fact]
    public void Converted_and_detected_forms_are_the_same()
    {
        // 4 strata × 5 PSUs × 3 rows with one zero weight: FromMultipliers must give what Detect finds in the columns.
        var (design, _) = Stratified(4, 5, 3);
        var detected = ReplicateDesign.Create(design.Weights, Enumerable.Range(0, design.ReplicateCount).Select(r => design.ReplicateWeights(r).ToArray()).ToArray(),
            ReplicateMethod.Jkn, rscales: design.RScales.ToArray()).Differences!;
        var built = design.Differences!;
        Assert.Equal(built.Factors, detected.Factors);
        Assert.Equal(built.GroupOf, detected.GroupOf);
        Assert.Equal(built.GroupCoefficients, detected.GroupCoefficients);
        Assert.Equal(built.GroupOffsets, detected.GroupOffsets);
        Assert.Equal(built.GroupRows, detected.GroupRows);
        Assert.Equal(built.Offsets, detected.Offsets);
        Assert.Equal(built.Rows, detected.Rows);
        Assert.Equal(built.Differences, detected.Differences);
        Assert.Equal(built.NonZeroChange, detected.NonZeroChange);
    }

    [Fact]
    public void JKn_replicates_are_a_stratum_group_plus_the_deleted_PSU()
    {
        var (design, zeroRow) = Stratified(4, 5, 3);
        var form = design.Differences!;
        // One group per stratum: its rows with a non-zero weight (a zero weight is 0 in every replicate).
        Assert.Equal(4, form.GroupCount);
        Assert.Equal(4 * 15 - 1, form.GroupRows.Length);
        Assert.DoesNotContain(zeroRow, form.GroupRows);
        for (int r = 0; r < design.ReplicateCount; r++)
        {
            Assert.Equal(1.0, form.Factors[r]);
            Assert.Equal(r / 5, form.GroupOf[r]);
            Assert.Equal(5.0 / 4 - 1, form.GroupCoefficients[r]);
            // Residual rows: the deleted PSU's rows (weight 0 instead of 5/4·w), the zero-weight row excepted.
            var rows = form.Rows.AsSpan(form.Offsets[r], form.Offsets[r + 1] - form.Offsets[r]).ToArray();
            int[] expected = [.. Enumerable.Range(3 * r, 3).Where(i => i != zeroRow)];
            Assert.Equal(expected, rows);
            for (int e = form.Offsets[r]; e < form.Offsets[r + 1]; e++)
            {
                Assert.Equal(-(5.0 / 4) * design.Weights[form.Rows[e]], form.Differences[e]);
                Assert.Equal(-1, form.NonZeroChange[e]);
            }
        }
    }

    [Fact]
    public void JK1_replicates_are_a_common_factor_plus_the_deleted_PSU()
    {
        var weights = Enumerable.Range(0, 12).Select(i => 10.0 + i).ToArray();
        var psus = Enumerable.Range(0, 12).Select(i => "p" + i / 2).ToArray();
        var design = ReplicateConversion.Jk1(TaylorDesign.Create(weights, null, psus));
        var form = design.Differences!;
        Assert.Equal(0, form.GroupCount);
        for (int r = 0; r < 6; r++)
        {
            Assert.Equal(6.0 / 5, form.Factors[r]);
            Assert.Equal([2 * r, 2 * r + 1], form.Rows.AsSpan(form.Offsets[r], 2).ToArray());
        }

        Assert.Equal(12, form.Rows.Length);
    }

    [Fact]
    public void Bootstrap_and_calibrated_replicates_stay_dense()
    {
        var (jkn, _) = Stratified(4, 5, 3);
        var taylor = TaylorDesign.Create(jkn.Weights, Enumerable.Range(0, 60).Select(i => "s" + i / 15).ToArray(), Enumerable.Range(0, 60).Select(i => "p" + i / 3).ToArray());
        Assert.Null(ReplicateConversion.Bootstrap(taylor, 50, seed: 7).Differences);
        // JKn calibrated on a numeric variable: every replicate gets its own g-weight 1 + λ_r'x_i in every row.
        var x = Enumerable.Range(0, 60).Select(i => 1.0 + i % 7).ToArray();
        var model = CalibrationModel.WithIntercept(60).AddNumeric("x", x);
        double total = jkn.Weights.ToArray().Sum(), totalX = jkn.Weights.ToArray().Zip(x, (w, v) => w * v).Sum();
        var calibrated = (ReplicateDesign)Calibration.Calibrate(jkn, model, [1.1 * total, 1.05 * totalX]);
        Assert.Null(calibrated.Differences);
    }

    [Fact]
    public void A_domain_emptied_by_a_replicate_gives_NaN_as_the_dense_loop_does()
    {
        // The domain is PSU 0's rows: deleting PSU 0 leaves Σ w_r = 0 exactly, so that replicate's mean is 0/0 and dropped.
        var (design, _) = Stratified(2, 4, 3);
        var y = Enumerable.Range(0, design.RowCount).Select(i => 1.0 + i % 5).ToArray();
        var labels = Enumerable.Range(0, design.RowCount).Select(i => i < 3 ? "psu0" : null).ToArray();
        var domain = DomainPartition.Create(design.RowCount, ["d"], [labels]);
        var keep = EstimationOptions.Default with { KeepComponents = true };
        var sparse = (ReplicateComponents)SurveyEstimator.Mean(design, "y", y, domain, keep)[0].Components!;
        var dense = (ReplicateComponents)SurveyEstimator.Mean(design.Dense(), "y", y, domain, keep)[0].Components!;
        Assert.True(double.IsNaN(dense.Replicates[0]));
        Assert.True(double.IsNaN(sparse.Replicates[0]));
        for (int r = 1; r < design.ReplicateCount; r++) Assert.Equal(dense.Replicates[r], sparse.Replicates[r], 1e-12);
        // Its replicate totals are exactly +0, as the dense sum of zero products.
        var totals = ReplicateTotals.Compute(design, [y], domain)[0][0].Replicates;
        Assert.Equal(BitConverter.DoubleToInt64Bits(0.0), BitConverter.DoubleToInt64Bits(totals[0]));
    }

    [Fact]
    public void Infinite_values_take_the_dense_loop()
    {
        // ∞·0 is NaN in the dense loop; regrouping would give another NaN pattern, so such a variable is summed densely.
        var (design, _) = Stratified(2, 4, 3);
        var y = Enumerable.Range(0, design.RowCount).Select(i => i == 4 ? double.PositiveInfinity : i).ToArray();
        var whole = DomainPartition.Whole(design.RowCount);
        var keep = EstimationOptions.Default with { KeepComponents = true };
        var sparse = (ReplicateComponents)SurveyEstimator.Total(design, "y", y, whole, keep)[0].Components!;
        var dense = (ReplicateComponents)SurveyEstimator.Total(design.Dense(), "y", y, whole, keep)[0].Components!;
        Assert.Equal(dense.Replicates.Select(BitConverter.DoubleToInt64Bits), sparse.Replicates.Select(BitConverter.DoubleToInt64Bits));
        Assert.True(double.IsNaN(sparse.Replicates[1]));
    }

    [Fact]
    public void Sparse_Gram_rank_is_the_dense_rank()
    {
        // JKn multipliers of 3 strata with 2, 3 and 4 PSUs: rank P − H + 1 = 7; JK1 of 5 PSUs: rank 5.
        int[] sizes = [2, 3, 4];
        var columns = new List<double[]>();
        int start = 0;
        foreach (var size in sizes)
        {
            for (int j = 0; j < size; j++)
            {
                var m = Enumerable.Repeat(1.0, 9).ToArray();
                for (int q = 0; q < size; q++) m[start + q] = q == j ? 0 : size / (size - 1.0);
                columns.Add(m);
            }

            start += size;
        }

        Assert.Equal(7, ReplicateRank.Of([.. columns]));
        Assert.Equal(7, SparseRank(columns, 1.0));
        var jk1 = Enumerable.Range(0, 5).Select(k => Enumerable.Range(0, 5).Select(p => p == k ? 0 : 5 / 4.0).ToArray()).ToList();
        Assert.Equal(5, ReplicateRank.Of([.. jk1]));
        Assert.Equal(5, SparseRank(jk1, 5 / 4.0));
    }

    private static int SparseRank(List<double[]> columns, double factor)
    {
        var offsets = new List<int> { 0 };
        var index = new List<int>();
        var values = new List<double>();
        foreach (var column in columns)
        {
            for (int p = 0; p < column.Length; p++)
            {
                if (column[p] == factor) continue;
                index.Add(p);
                values.Add(column[p] - factor);
            }

            offsets.Add(index.Count);
        }

        return ReplicateRank.OfScaledOnesPlusSparse(columns[0].Length, [.. columns.Select(_ => factor)], [.. offsets], [.. index], [.. values]);
    }

    /// <summary>JKn of <paramref name="strata"/> × <paramref name="psus"/> × <paramref name="rows"/> rows in order, uneven weights, row 7 weighing 0.</summary>
    private static (ReplicateDesign Design, int ZeroRow) Stratified(int strata, int psus, int rows)
    {
        int n = strata * psus * rows;
        var weights = Enumerable.Range(0, n).Select(i => i == 7 ? 0 : 20 + (i * 37 % 23) / 3.0).ToArray();
        var strataLabels = Enumerable.Range(0, n).Select(i => "s" + i / (psus * rows)).ToArray();
        var psuLabels = Enumerable.Range(0, n).Select(i => "p" + i / rows).ToArray();
        return (ReplicateConversion.Jkn(TaylorDesign.Create(weights, strataLabels, psuLabels)), 7);
    }
}
