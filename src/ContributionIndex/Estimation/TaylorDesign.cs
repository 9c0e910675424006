using System.Globalization;

namespace ContributionIndex.Estimation;

/// <summary>A stratified cluster design analysed by with-replacement Taylor linearisation at the first stage (R <c>svydesign</c> + <c>svyrecvar</c>).</summary>
/// <remarks>
/// PSU identifiers are nested in strata (R <c>nest = TRUE</c>): PSU "1" of stratum A and PSU "1" of stratum B are different PSUs.
/// The optional fpc gives, per row, either the population number of PSUs in the row's stratum (all values ≥ 1) or the
/// first-stage sampling fraction (all values ≤ 1), inferred as R <c>as.fpc</c> does; it must be constant within a stratum.
/// Only first-stage variance is computed (later stages are ignored, as R does when no later-stage fpc is given).
/// </remarks>
public sealed class TaylorDesign : SurveyDesign
{
    // Below this first-stage finite population factor a stratum is a census and contributes nothing (R onestrat: all(f < 1e-7)).
    private const double CensusFactor = 1e-7;

    private TaylorDesign(double[] weights, double df, int[] rowStratum, int[] rowPsu, int[] psuStratum, int[] stratumPsuCount,
        double[] stratumFactor, string[] stratumLabels, LonelyPsuPolicy lonelyPsu, bool hasStrata, bool hasFpc, CalibrationResiduals? calibration = null)
        : base(weights, df)
    {
        Calibration = calibration;
        RowStratum = rowStratum;
        RowPsu = rowPsu;
        PsuStratum = psuStratum;
        StratumPsuCount = stratumPsuCount;
        StratumFinitePopulationFactor = stratumFactor;
        StratumLabels = stratumLabels;
        LonelyPsu = lonelyPsu;
        HasStrata = hasStrata;
        HasFpc = hasFpc;
    }

    internal int[] RowStratum { get; }

    internal int[] RowPsu { get; }

    internal int[] PsuStratum { get; }

    internal int[] StratumPsuCount { get; }

    /// <summary>f_h = (N_h − n_h)/N_h per stratum, 1 without fpc.</summary>
    internal double[] StratumFinitePopulationFactor { get; }

    internal string[] StratumLabels { get; }

    /// <summary>The calibration whose residuals replace the influence values, or null for an uncalibrated design.</summary>
    internal CalibrationResiduals? Calibration { get; }

    /// <summary>True when the weights were post-stratified, raked or calibrated (<see cref="Estimation.Calibration"/>).</summary>
    public bool IsCalibrated => Calibration is not null;

    /// <summary>The lonely-PSU policy used by variance estimation.</summary>
    public LonelyPsuPolicy LonelyPsu { get; }

    /// <summary>True when strata were given (R <c>has.strata</c>); decides JK1 versus JKn in conversions.</summary>
    public bool HasStrata { get; }

    /// <summary>True when a finite population correction was given.</summary>
    public bool HasFpc { get; }

    /// <summary>The number of strata.</summary>
    public int StratumCount => StratumLabels.Length;

    /// <summary>The number of PSUs (nested in strata).</summary>
    public int PsuCount => PsuStratum.Length;

    /// <summary>Builds a design from per-row weights and optional strata, PSU and fpc columns (R <c>svydesign(ids, strata, weights, fpc, nest = TRUE)</c>).</summary>
    /// <param name="weights">Sampling weights, one per row.</param>
    /// <param name="strata">Stratum label per row, or null for an unstratified design.</param>
    /// <param name="psu">PSU label per row (nested in strata), or null when every row is its own PSU (R <c>ids = ~1</c>).</param>
    /// <param name="fpc">Per-row population PSU count of the stratum (all ≥ 1) or sampling fraction (all ≤ 1), or null.</param>
    /// <param name="lonelyPsu">The lonely-PSU policy.</param>
    /// <exception cref="EstimationException">A column has the wrong length, a weight is negative, the fpc is inconsistent, or there is only one PSU.</exception>
    public static TaylorDesign Create(ReadOnlySpan<double> weights, IReadOnlyList<string>? strata, IReadOnlyList<string>? psu,
        ReadOnlySpan<double> fpc = default, LonelyPsuPolicy lonelyPsu = LonelyPsuPolicy.Fail)
    {
        CheckWeights(weights);
        int n = weights.Length;
        CheckLengths(n, strata?.Count, psu?.Count, fpc.Length);
        // A missing stratum is stratum "1" and a missing PSU is the row's own unit named by its index, as before the codes.
        var strataCodes = strata is null ? null : CodedLabels.Intern(n, i => strata[i] ?? "1");
        var psuCodes = psu is null ? null : CodedLabels.Intern(n, i => psu[i] ?? i.ToString(CultureInfo.InvariantCulture));
        return FromCodes(weights.ToArray(), strataCodes, psuCodes, fpc, lonelyPsu);
    }

    /// <summary>
    /// <see cref="Create"/> from labels already coded (no string per row), taking ownership of <paramref name="weights"/>
    /// (not copied; the caller must not change it). Strata and PSUs are numbered in order of first appearance, as
    /// <see cref="Create"/> numbers them, so both give the same design.
    /// </summary>
    internal static TaylorDesign FromCodes(double[] weights, CodedLabels? strata, CodedLabels? psu, ReadOnlySpan<double> fpc, LonelyPsuPolicy lonelyPsu)
    {
        CheckWeights(weights);
        int n = weights.Length;
        CheckLengths(n, strata?.Count, psu?.Count, fpc.Length);

        // Stratum h and PSU k in order of first appearance; a PSU is a (stratum, PSU label) pair (nest = TRUE).
        var stratumLabels = new List<string>();
        var rowStratum = new int[n];
        var stratumOfCode = new int[strata?.Values.Count ?? 0];
        Array.Fill(stratumOfCode, -1);
        var psuStratum = new List<int>();
        var rowPsu = new int[n];
        int psuLabels = psu?.Values.Count ?? 0;
        var psuOfCode = new int[psuLabels];
        var psuCodeStratum = new int[psuLabels];
        Array.Fill(psuOfCode, -1);
        Dictionary<long, int>? psuInOtherStrata = null;
        for (int i = 0; i < n; i++)
        {
            int h;
            if (strata is null)
            {
                if (stratumLabels.Count == 0) stratumLabels.Add("1");
                h = 0;
            }
            else
            {
                int code = strata.Codes[i];
                h = stratumOfCode[code];
                if (h < 0)
                {
                    h = stratumOfCode[code] = stratumLabels.Count;
                    stratumLabels.Add(strata.Values[code]!);
                }
            }
            rowStratum[i] = h;

            int k;
            if (psu is null)
            {
                // Every row is its own PSU.
                k = psuStratum.Count;
                psuStratum.Add(h);
            }
            else
            {
                int code = psu.Codes[i];
                if (psuOfCode[code] < 0)
                {
                    k = psuOfCode[code] = psuStratum.Count;
                    psuCodeStratum[code] = h;
                    psuStratum.Add(h);
                }
                else if (psuCodeStratum[code] == h)
                {
                    k = psuOfCode[code];
                }
                else
                {
                    // The same PSU label in another stratum is another PSU.
                    psuInOtherStrata ??= [];
                    long key = ((long)h << 32) | (uint)code;
                    if (!psuInOtherStrata.TryGetValue(key, out k))
                    {
                        k = psuStratum.Count;
                        psuInOtherStrata.Add(key, k);
                        psuStratum.Add(h);
                    }
                }
            }
            rowPsu[i] = k;
        }

        int strataCount = stratumLabels.Count;
        var psuCount = new int[strataCount];
        foreach (var h in psuStratum) psuCount[h]++;
        if (psuStratum.Count == 1 && strata is null)
            throw new EstimationException("The design has only one primary sampling unit, so no variance can be estimated; give the PSU column that identifies clusters, or none if every row is its own unit.");

        var factor = new double[strataCount];
        Array.Fill(factor, 1.0);
        if (!fpc.IsEmpty)
        {
            bool anyAboveOne = false, allAtLeastOne = true;
            foreach (var v in fpc)
            {
                if (!double.IsFinite(v) && !double.IsPositiveInfinity(v) || v <= 0)
                    throw new EstimationException(FormattableString.Invariant($"The fpc value {v} is not a positive number; give the population number of PSUs in the stratum or the sampling fraction."));
                if (v > 1) anyAboveOne = true;
                if (v < 1) allAtLeastOne = false;
            }
            if (anyAboveOne != allAtLeastOne)
                throw new EstimationException("The fpc column mixes values above and below 1 (or is 1 everywhere, which is ambiguous); give either population PSU counts (all ≥ 1, some > 1) or sampling fractions (all ≤ 1, some < 1), as R survey requires.");
            var stratumFpc = new double[strataCount];
            Array.Fill(stratumFpc, double.NaN);
            for (int i = 0; i < n; i++)
            {
                var h = rowStratum[i];
                if (double.IsNaN(stratumFpc[h])) stratumFpc[h] = fpc[i];
                else if (stratumFpc[h] != fpc[i])
                    throw new EstimationException(FormattableString.Invariant($"The fpc varies within stratum '{stratumLabels[h]}' (row {i + 1} has {fpc[i]}, an earlier row {stratumFpc[h]}); it must be one value per stratum."));
            }
            for (int h = 0; h < strataCount; h++)
            {
                double sampled = psuCount[h];
                double population = anyAboveOne ? stratumFpc[h] : sampled / stratumFpc[h];
                if (population < sampled)
                    throw new EstimationException(FormattableString.Invariant($"The fpc of stratum '{stratumLabels[h]}' implies a population of {population} PSUs but {sampled} were sampled (more than 100 % sampling); check the fpc column."));
                factor[h] = double.IsPositiveInfinity(population) ? 1.0 : (population - sampled) / population;
            }
        }

        // R degf.survey.design2: PSUs minus strata among rows with non-zero weight.
        var psuSeen = new bool[psuStratum.Count];
        var stratumSeen = new bool[strataCount];
        int psuWithWeight = 0, strataWithWeight = 0;
        for (int i = 0; i < n; i++)
        {
            if (weights[i] == 0) continue;
            if (!psuSeen[rowPsu[i]]) { psuSeen[rowPsu[i]] = true; psuWithWeight++; }
            if (!stratumSeen[rowStratum[i]]) { stratumSeen[rowStratum[i]] = true; strataWithWeight++; }
        }

        return new TaylorDesign(weights, psuWithWeight - strataWithWeight, rowStratum, rowPsu, psuStratum.ToArray(), psuCount,
            factor, stratumLabels.ToArray(), lonelyPsu, strata is not null, !fpc.IsEmpty);
    }

    private static void CheckLengths(int n, int? strata, int? psu, int fpc)
    {
        if (strata is { } s && s != n)
            throw new EstimationException(FormattableString.Invariant($"The strata column has {s} values but there are {n} weights; give one stratum per row."));
        if (psu is { } p && p != n)
            throw new EstimationException(FormattableString.Invariant($"The PSU column has {p} values but there are {n} weights; give one PSU per row."));
        if (fpc != 0 && fpc != n)
            throw new EstimationException(FormattableString.Invariant($"The fpc column has {fpc} values but there are {n} weights; give one fpc per row."));
    }

    /// <summary>Returns the same design with another lonely-PSU policy.</summary>
    public TaylorDesign WithLonelyPsu(LonelyPsuPolicy policy) =>
        new(SamplingWeights, DegreesOfFreedom, RowStratum, RowPsu, PsuStratum, StratumPsuCount, StratumFinitePopulationFactor,
            StratumLabels, policy, HasStrata, HasFpc, Calibration);

    internal TaylorDesign WithCalibration(double[] calibratedWeights, CalibrationResiduals residuals)
    {
        if (Calibration is not null)
            throw new EstimationException("This design is already calibrated; calibrate once, with all auxiliary variables together.");
        return new(calibratedWeights, DegreesOfFreedom, RowStratum, RowPsu, PsuStratum, StratumPsuCount, StratumFinitePopulationFactor,
            StratumLabels, LonelyPsu, HasStrata, HasFpc, residuals);
    }

    /// <summary>First-stage with-replacement covariance of two linearised statistics given their PSU totals of influence values (R <c>onestage</c>).</summary>
    /// <param name="a">Σ of influence values per PSU for the first statistic.</param>
    /// <param name="b">Σ of influence values per PSU for the second statistic (the same span for a variance).</param>
    /// <param name="stratumPresent">Per stratum, whether it has rows in the estimation domain (R drops strata without rows when subsetting).</param>
    internal double Covariance(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<bool> stratumPresent)
    {
        int strataCount = StratumLabels.Length;
        Span<double> sumA = strataCount <= 256 ? stackalloc double[strataCount] : new double[strataCount];
        Span<double> sumB = strataCount <= 256 ? stackalloc double[strataCount] : new double[strataCount];
        sumA.Clear();
        sumB.Clear();
        for (int p = 0; p < a.Length; p++)
        {
            sumA[PsuStratum[p]] += a[p];
            sumB[PsuStratum[p]] += b[p];
        }
        Span<double> acc = strataCount <= 256 ? stackalloc double[strataCount] : new double[strataCount];
        acc.Clear();
        for (int p = 0; p < a.Length; p++)
        {
            int h = PsuStratum[p];
            int nh = StratumPsuCount[h];
            double da = a[p], db = b[p];
            if (nh > 1 || LonelyPsu != LonelyPsuPolicy.Adjust)
            {
                da -= sumA[h] / nh;
                db -= sumB[h] / nh;
            }
            acc[h] += da * db;
        }

        double total = 0;
        int present = 0, usable = 0;
        for (int h = 0; h < strataCount; h++)
        {
            if (!stratumPresent[h]) continue;
            present++;
            int nh = StratumPsuCount[h];
            double f = StratumFinitePopulationFactor[h];
            if (f < CensusFactor) { usable++; continue; }
            if (nh > 1)
            {
                // PSUs without rows in the domain carry zero totals, exactly as R pads the domain's PSU totals with zero rows.
                total += f * nh / (nh - 1) * acc[h];
                usable++;
                continue;
            }
            switch (LonelyPsu)
            {
                case LonelyPsuPolicy.Fail:
                    throw new EstimationException($"Stratum ({StratumLabels[h]}) has only one PSU, so its variance cannot be estimated; merge it with a similar stratum or choose a lonely-PSU policy (remove, certainty, adjust or average).");
                case LonelyPsuPolicy.Average:
                    break;
                default:
                    total += f * acc[h];
                    usable++;
                    break;
            }
        }
        if (present == 0) return 0;
        return usable == 0 ? double.NaN : total * present / usable;
    }
}
