using System.Globalization;
using ContributionIndex.Diagnostics;

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
        double[] stratumFactor, string[] stratumLabels, LonelyPsuPolicy lonelyPsu, bool hasStrata, bool hasFpc, CalibrationResiduals? calibration = null,
        SecondStage? secondStage = null, bool adjustDomainLonely = false)
        : base(weights, df)
    {
        Stage2 = secondStage;
        AdjustDomainLonely = adjustDomainLonely;
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

    /// <summary>The second sampling stage, or null when only the first stage's variance is computed.</summary>
    internal SecondStage? Stage2 { get; }

    /// <summary>The finest sampling unit of each row: its SSU in a two-stage design, else its PSU (influence totals are kept per unit).</summary>
    internal int[] RowUnit => Stage2?.RowUnit ?? RowPsu;

    /// <summary>The number of finest sampling units.</summary>
    internal int UnitCount => Stage2?.UnitPsu.Length ?? PsuStratum.Length;

    /// <summary>True when a second stage (SSUs within PSUs, with its fpc) contributes to the variance.</summary>
    public bool HasSecondStage => Stage2 is not null;

    /// <summary>R <c>options(survey.adjust.domain.lonely = TRUE)</c>: a stratum whose domain has rows in one PSU only is treated as lonely (adjust: centred on zero; average: left out).</summary>
    public bool AdjustDomainLonely { get; }

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
    /// <param name="ssu">Second-stage unit label per row (nested in the PSU), or null for a one-stage analysis (R <c>ids = ~psu + ssu</c>).</param>
    /// <param name="fpc2">Per-row population number of SSUs in the row's PSU (or second-stage sampling fraction); required with <paramref name="ssu"/>.</param>
    /// <param name="adjustDomainLonely">R <c>options(survey.adjust.domain.lonely)</c>.</param>
    /// <exception cref="EstimationException">A column has the wrong length, a weight is negative, the fpc is inconsistent, or there is only one PSU.</exception>
    public static TaylorDesign Create(ReadOnlySpan<double> weights, IReadOnlyList<string>? strata, IReadOnlyList<string>? psu,
        ReadOnlySpan<double> fpc = default, LonelyPsuPolicy lonelyPsu = LonelyPsuPolicy.Fail, IReadOnlyList<string>? ssu = null,
        ReadOnlySpan<double> fpc2 = default, bool adjustDomainLonely = false)
    {
        CheckWeights(weights);
        int n = weights.Length;
        CheckLengths(n, strata?.Count, psu?.Count, fpc.Length);
        // A missing stratum is stratum "1" and a missing PSU is the row's own unit named by its index, as before the codes.
        var strataCodes = strata is null ? null : CodedLabels.Intern(n, i => strata[i] ?? "1");
        var psuCodes = psu is null ? null : CodedLabels.Intern(n, i => psu[i] ?? i.ToString(CultureInfo.InvariantCulture));
        return FromCodes(weights.ToArray(), strataCodes, psuCodes, fpc, lonelyPsu, ssu, fpc2, adjustDomainLonely);
    }

    /// <summary>
    /// <see cref="Create"/> from labels already coded (no string per row), taking ownership of <paramref name="weights"/>
    /// (not copied; the caller must not change it). Strata and PSUs are numbered in order of first appearance, as
    /// <see cref="Create"/> numbers them, so both give the same design.
    /// </summary>
    internal static TaylorDesign FromCodes(double[] weights, CodedLabels? strata, CodedLabels? psu, ReadOnlySpan<double> fpc, LonelyPsuPolicy lonelyPsu,
        IReadOnlyList<string>? ssu = null, ReadOnlySpan<double> fpc2 = default, bool adjustDomainLonely = false)
    {
        if (ssu is not null && (fpc.IsEmpty || fpc2.IsEmpty))
            throw new EstimationException(FailureKind.Usage, "A second stage (--ssu) needs the fpc of both stages (--fpc and --fpc2): R survey computes later-stage variance only when every stage has its fpc.");
        if (ssu is not null && (ssu.Count != weights.Length || fpc2.Length != weights.Length))
            throw new EstimationException(FormattableString.Invariant($"The SSU and second-stage fpc columns must have one value per row ({weights.Length})."));
        if (ssu is not null && psu is null)
            throw new EstimationException(FailureKind.Usage, "A second stage (--ssu) needs the first-stage PSU column (--psu).");
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
        var firstStageFraction = new double[strataCount];
        bool popsizeAboveOne = false;
        if (!fpc.IsEmpty)
        {
            bool anyAboveOne = false, allAtLeastOne = true;
            foreach (var v in fpc.ToArray().Concat(fpc2.ToArray()))
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
                firstStageFraction[h] = double.IsPositiveInfinity(population) ? 0 : sampled / population;
            }
            popsizeAboveOne = anyAboveOne;
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

        var secondStage = ssu is null ? null : SecondStage.Create(ssu, fpc2, rowPsu, psuStratum, firstStageFraction, popsizeAboveOne);
        return new TaylorDesign(weights, psuWithWeight - strataWithWeight, rowStratum, rowPsu, psuStratum.ToArray(), psuCount,
            factor, stratumLabels.ToArray(), lonelyPsu, strata is not null, !fpc.IsEmpty, null, secondStage, adjustDomainLonely);
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
            StratumLabels, policy, HasStrata, HasFpc, Calibration, Stage2, AdjustDomainLonely);

    internal TaylorDesign WithCalibration(double[] calibratedWeights, CalibrationResiduals residuals)
    {
        if (Calibration is not null)
            throw new EstimationException("This design is already calibrated; calibrate once, with all auxiliary variables together.");
        if (Stage2 is not null)
            throw new EstimationException(FailureKind.Usage, "Calibration of a two-stage design is not supported; analyse the design with its first stage only (no --ssu) to calibrate it.");
        return new(calibratedWeights, DegreesOfFreedom, RowStratum, RowPsu, PsuStratum, StratumPsuCount, StratumFinitePopulationFactor,
            StratumLabels, LonelyPsu, HasStrata, HasFpc, residuals, null, AdjustDomainLonely);
    }

    /// <summary>The with-replacement (first stage) plus, for two-stage designs, second-stage covariance of two linearised statistics (R <c>svyrecvar</c>: <c>multistage</c>/<c>onestage</c>/<c>onestrat</c>).</summary>
    /// <param name="a">Σ of influence values per unit (<see cref="RowUnit"/>) for the first statistic.</param>
    /// <param name="b">Σ of influence values per unit for the second statistic (the same span for a variance).</param>
    /// <param name="unitPresent">Per unit, whether it has rows in the estimation domain (R drops the other rows when subsetting).</param>
    internal double Covariance(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<bool> unitPresent)
    {
        int psuCount = PsuStratum.Length;
        double[] psuA, psuB;
        bool[] psuPresent;
        if (Stage2 is { } stage2)
        {
            psuA = new double[psuCount];
            psuB = new double[psuCount];
            psuPresent = new bool[psuCount];
            for (int u = 0; u < a.Length; u++)
            {
                int p = stage2.UnitPsu[u];
                psuA[p] += a[u];
                psuB[p] += b[u];
                psuPresent[p] |= unitPresent[u];
            }
        }
        else
        {
            psuA = a.ToArray();
            psuB = b.ToArray();
            psuPresent = unitPresent.ToArray();
        }
        double total = Stage(psuA, psuB, psuPresent, PsuStratum, StratumPsuCount, StratumFinitePopulationFactor, StratumLabels.Length,
            h => StratumLabels[h], 1);
        if (Stage2 is { } second)
        {
            // R multistage: each PSU's second-stage variance (its SSUs as one stratum) times the first-stage sampling fraction n_h/N_h.
            var unitsOf = second.UnitsByPsu;
            for (int p = 0; p < psuCount; p++)
            {
                if (!psuPresent[p]) continue;
                double fraction = second.PsuFirstStageFraction[p];
                if (fraction == 0) continue;
                var units = unitsOf[p];
                var ua = new double[units.Length];
                var ub = new double[units.Length];
                var up = new bool[units.Length];
                for (int j = 0; j < units.Length; j++) { ua[j] = a[units[j]]; ub[j] = b[units[j]]; up[j] = unitPresent[units[j]]; }
                var zeros = new int[units.Length];
                double within = Stage(ua, ub, up, zeros, [units.Length], [second.PsuFactor[p]], 1, _ => second.PsuLabel(p), 2);
                total += within * fraction;
            }
        }
        return total;
    }

    /// <summary>One stage of R's <c>onestage</c>: Σ over strata of f_h n_h/(n_h − 1) Σ (x_p − x̄_h)², lonely strata by the policy, times strata/usable strata.</summary>
    private double Stage(double[] a, double[] b, bool[] present, int[] unitStratum, int[] stratumUnits, double[] stratumFactor, int strataCount,
        Func<int, string> label, int stage)
    {
        var sumA = new double[strataCount];
        var sumB = new double[strataCount];
        var subset = new int[strataCount];
        var stratumPresent = new bool[strataCount];
        for (int p = 0; p < a.Length; p++)
        {
            int h = unitStratum[p];
            sumA[h] += a[p];
            sumB[h] += b[p];
            if (present[p]) { subset[h]++; stratumPresent[h] = true; }
        }
        var acc = new double[strataCount];
        for (int p = 0; p < a.Length; p++)
        {
            int h = unitStratum[p];
            int nh = stratumUnits[h];
            double da = a[p], db = b[p];
            // R onestrat centres unless lonely.psu = "adjust" and the domain has one unit there (and the stratum is lonely, or adjust.domain.lonely is set).
            bool centre = LonelyPsu != LonelyPsuPolicy.Adjust || subset[h] > 1 || (nh > 1 && !AdjustDomainLonely);
            if (centre)
            {
                da -= sumA[h] / nh;
                db -= sumB[h] / nh;
            }
            acc[h] += da * db;
        }

        double total = 0;
        int presentCount = 0, usable = 0;
        for (int h = 0; h < strataCount; h++)
        {
            if (!stratumPresent[h]) continue;
            presentCount++;
            int nh = stratumUnits[h];
            double f = stratumFactor[h];
            if (f < CensusFactor) { usable++; continue; }
            if (nh > 1)
            {
                if (subset[h] == 1 && AdjustDomainLonely && LonelyPsu == LonelyPsuPolicy.Average) continue; // R: scale NA, the stratum is left out
                // Units without rows in the domain carry zero totals, exactly as R pads the domain's unit totals with zero rows.
                total += f * nh / (nh - 1) * acc[h];
                usable++;
                continue;
            }
            switch (LonelyPsu)
            {
                case LonelyPsuPolicy.Fail:
                    throw new EstimationException(stage == 1
                        ? $"Stratum ({label(h)}) has only one PSU, so its variance cannot be estimated; merge it with a similar stratum or choose a lonely-PSU policy (remove, certainty, adjust or average)."
                        : $"Stratum ({label(h)}) has only one PSU at stage 2: a PSU with one sampled SSU and an fpc below its population cannot give a second-stage variance; choose a lonely-PSU policy (remove, certainty, adjust or average) or give the SSU's fpc as its census.");
                case LonelyPsuPolicy.Average:
                    break;
                default:
                    total += f * acc[h];
                    usable++;
                    break;
            }
        }
        if (presentCount == 0) return 0;
        return usable == 0 ? double.NaN : total * presentCount / usable;
    }
}

/// <summary>The second sampling stage of a <see cref="TaylorDesign"/>: SSUs nested in PSUs, each PSU a stratum of its SSUs (R <c>nest = TRUE</c>).</summary>
/// <param name="RowUnit">The SSU (0-based, over the design) of each row.</param>
/// <param name="UnitPsu">The PSU of each SSU.</param>
/// <param name="UnitsByPsu">The SSUs of each PSU.</param>
/// <param name="PsuFactor">f = (M_p − m_p)/M_p per PSU, with M_p the population of SSUs in the PSU and m_p the sampled ones.</param>
/// <param name="PsuFirstStageFraction">n_h/N_h of the PSU's stratum (0 when N_h is infinite): R's multiplier of the second-stage variance.</param>
/// <param name="Labels">The SSU label of the first row of each PSU's first SSU, for messages.</param>
internal sealed record SecondStage(int[] RowUnit, int[] UnitPsu, int[][] UnitsByPsu, double[] PsuFactor, double[] PsuFirstStageFraction, string[] Labels)
{
    public string PsuLabel(int psu) => Labels[psu];

    public static SecondStage Create(IReadOnlyList<string> ssu, ReadOnlySpan<double> fpc2, int[] rowPsu, List<int> psuStratum, double[] stratumFraction, bool popsize)
    {
        int n = ssu.Count, psuCount = psuStratum.Count;
        var index = new Dictionary<(int, string), int>();
        var unitPsu = new List<int>();
        var rowUnit = new int[n];
        var labels = new string[psuCount];
        for (int i = 0; i < n; i++)
        {
            int p = rowPsu[i];
            labels[p] ??= "PSU " + (p + 1).ToString(CultureInfo.InvariantCulture);
            if (!index.TryGetValue((p, ssu[i]), out var u)) { u = unitPsu.Count; index.Add((p, ssu[i]), u); unitPsu.Add(p); }
            rowUnit[i] = u;
        }
        var sampled = new int[psuCount];
        foreach (var p in unitPsu) sampled[p]++;
        var psuFpc = new double[psuCount];
        Array.Fill(psuFpc, double.NaN);
        for (int i = 0; i < n; i++)
        {
            int p = rowPsu[i];
            if (double.IsNaN(psuFpc[p])) psuFpc[p] = fpc2[i];
            else if (psuFpc[p] != fpc2[i])
                throw new EstimationException(FormattableString.Invariant($"The second-stage fpc varies within a PSU (row {i + 1} has {fpc2[i]}, an earlier row of its PSU {psuFpc[p]}); it must be one value per PSU."));
        }
        var factor = new double[psuCount];
        var fraction = new double[psuCount];
        for (int p = 0; p < psuCount; p++)
        {
            double population = popsize ? psuFpc[p] : sampled[p] / psuFpc[p];
            if (population < sampled[p])
                throw new EstimationException(FormattableString.Invariant($"The second-stage fpc of a PSU implies {population} SSUs but {sampled[p]} were sampled (more than 100 % sampling); check the fpc2 column."));
            factor[p] = double.IsPositiveInfinity(population) ? 1.0 : (population - sampled[p]) / population;
            fraction[p] = stratumFraction[psuStratum[p]];
        }
        var byPsu = new List<int>[psuCount];
        for (int p = 0; p < psuCount; p++) byPsu[p] = [];
        for (int u = 0; u < unitPsu.Count; u++) byPsu[unitPsu[u]].Add(u);
        return new SecondStage(rowUnit, [.. unitPsu], [.. byPsu.Select(l => l.ToArray())], factor, fraction, labels);
    }
}
