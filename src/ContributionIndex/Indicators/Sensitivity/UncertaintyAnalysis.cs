using System.Collections.Immutable;
using ContributionIndex.Diagnostics;
using ContributionIndex.Indicators.Composite;

namespace ContributionIndex.Indicators.Sensitivity;

/// <summary>The uncertain methodological choices a Monte-Carlo run samples from.</summary>
public sealed record UncertaintySettings
{
    /// <summary>Base sample size N: N runs for the uncertainty analysis, N·(k + 2) for the Sobol indices.</summary>
    public int Runs { get; init; } = 1000;

    /// <summary>Seed of <see cref="Random"/>; the same seed gives the same results.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Normalisation alternatives (equally likely); empty = keep the nominal one.</summary>
    public ImmutableArray<NormalisationMethod> Normalisations { get; init; } = [];

    /// <summary>Aggregation alternatives, used at both levels (equally likely); empty = keep the nominal ones.</summary>
    public ImmutableArray<AggregationMethod> Aggregations { get; init; } = [];

    /// <summary>Imputation alternatives (equally likely); empty = keep the nominal one.</summary>
    public ImmutableArray<ImputationMethod> Imputations { get; init; } = [];

    /// <summary>Each nominal weight is multiplied by U(1 − x, 1 + x); 0 = weights fixed. E.g. 0.25 for ±25 %.</summary>
    public double WeightNoise { get; init; }

    /// <summary>Whether to also estimate Sobol indices of the mean absolute rank shift (costs N·(k + 2) runs).</summary>
    public bool Sobol { get; init; } = true;

    /// <summary>
    /// The settings of an analysis over a framework file (<c>contrib index --framework</c>): unless given, the nominal
    /// normalisation with min-max and percentile, arithmetic and geometric aggregation, and with group-mean imputation
    /// also no imputation; Sobol indices on.
    /// </summary>
    /// <param name="nominal">The index's own options.</param>
    /// <param name="runs">Monte-Carlo base sample.</param>
    /// <param name="seed">Generator seed.</param>
    /// <param name="weightNoise">Relative uniform noise on each weight.</param>
    /// <param name="normalisations">Normalisation alternatives, or null for the defaults.</param>
    /// <param name="aggregations">Aggregation alternatives, or null for the defaults.</param>
    public static UncertaintySettings ForFramework(IndexOptions nominal, int runs, int seed, double weightNoise,
        IReadOnlyList<NormalisationMethod>? normalisations = null, IReadOnlyList<AggregationMethod>? aggregations = null)
    {
        ArgumentNullException.ThrowIfNull(nominal);
        return new UncertaintySettings
        {
            Runs = runs,
            Seed = seed,
            Normalisations = normalisations is null ? [.. new[] { nominal.Normalisation, NormalisationMethod.MinMax, NormalisationMethod.Percentile }.Distinct()] : [.. normalisations],
            Aggregations = aggregations is null ? [AggregationMethod.Arithmetic, AggregationMethod.Geometric] : [.. aggregations],
            Imputations = nominal.Imputation == ImputationMethod.GroupMean ? [ImputationMethod.GroupMean, ImputationMethod.None] : [],
            WeightNoise = weightNoise,
        };
    }
}

/// <summary>Rank uncertainty of one unit over the Monte-Carlo runs.</summary>
/// <param name="Unit">Unit code.</param>
/// <param name="NominalScore">Index score under the nominal choices.</param>
/// <param name="NominalRank">Rank under the nominal choices.</param>
/// <param name="MedianRank">Median rank over the runs (R quantile type 7).</param>
/// <param name="Rank05">5th percentile of the rank.</param>
/// <param name="Rank95">95th percentile of the rank.</param>
/// <param name="MeanAbsoluteShift">Mean over runs of |rank − nominal rank|.</param>
public sealed record UnitUncertainty(string Unit, double NominalScore, int? NominalRank, double MedianRank, double Rank05, double Rank95, double MeanAbsoluteShift);

/// <summary>One uncertain factor with its Sobol indices for the mean absolute rank shift R̄_S.</summary>
/// <param name="Factor">Factor name (normalisation, aggregation, imputation, weights).</param>
/// <param name="FirstOrder">First-order index.</param>
/// <param name="Total">Total-effect index.</param>
/// <param name="FirstOrderStandardError">Monte-Carlo standard error of the first-order index.</param>
/// <param name="TotalStandardError">Monte-Carlo standard error of the total index.</param>
public sealed record FactorSensitivity(string Factor, double FirstOrder, double Total, double FirstOrderStandardError, double TotalStandardError);

/// <summary>Results of <see cref="UncertaintyAnalysis.Run"/>.</summary>
/// <param name="Units">Rank uncertainty per ranked unit, in data order.</param>
/// <param name="Factors">Sobol indices per factor (empty when not asked or no factor varies).</param>
/// <param name="Runs">Index computations done.</param>
public sealed record UncertaintyResult(ImmutableArray<UnitUncertainty> Units, ImmutableArray<FactorSensitivity> Factors, int Runs);

/// <summary>Monte-Carlo uncertainty and sensitivity analysis over methodological choices (OECD/JRC step 8; COINr get_sensitivity).</summary>
/// <remarks>Each run draws a point of the unit hypercube: one coordinate per categorical choice (index = ⌊u·count⌋)
/// and one per weight (multiplier 1 + x·(2u − 1)). Geometric and harmonic runs use a score scale starting at 1
/// (COINr's advice) so clipped zeros stay valid. Output Y of the Sobol analysis: R̄_S = mean over ranked units of
/// |rank − nominal rank| (methodology-sources §7.1).</remarks>
public static class UncertaintyAnalysis
{
    /// <summary>Runs the analysis.</summary>
    public static UncertaintyResult Run(IndicatorData data, IndexOptions nominal, UncertaintySettings settings)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(nominal);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Runs < 2) throw new InputDataException(SourceLocation.OfFile(data.Framework.Source), "Monte-Carlo analysis needs at least 2 runs.", "Ask for more runs, e.g. 1000.");
        if (settings.WeightNoise is < 0 or >= 1 || double.IsNaN(settings.WeightNoise))
            throw new InputDataException(SourceLocation.OfFile(data.Framework.Source), "the weight noise must lie in [0, 1).", "E.g. 0.25 for ±25 %.");
        var normalisations = settings.Normalisations.IsDefaultOrEmpty ? [nominal.Normalisation] : settings.Normalisations;
        var aggregations = settings.Aggregations.IsDefaultOrEmpty ? [nominal.IndexAggregation] : settings.Aggregations;
        var imputations = settings.Imputations.IsDefaultOrEmpty ? [nominal.Imputation] : settings.Imputations;
        if (normalisations.Contains(NormalisationMethod.ZScore) && aggregations.Any(a => a is not AggregationMethod.Arithmetic))
            throw new InputDataException(SourceLocation.OfFile(data.Framework.Source), "z-scores can be negative, so they cannot be combined with geometric or harmonic aggregation.", "Drop z-score from the alternatives or use arithmetic aggregation only.");

        var baseline = CompositeIndex.Compute(data, nominal);
        var framework = data.Framework;
        var nominalIndicatorWeights = baseline.IndicatorWeights;
        var nominalPillarWeights = baseline.PillarWeights;
        var nominalRanks = baseline.IndexRanks;
        var ranked = Enumerable.Range(0, data.Units.Length).Where(u => nominalRanks[u] is not null).ToArray();

        var factors = new List<(string Name, int Size)>();
        if (normalisations.Length > 1) factors.Add(("normalisation", 1));
        if (aggregations.Length > 1) factors.Add(("aggregation", 1));
        if (imputations.Length > 1) factors.Add(("imputation", 1));
        if (settings.WeightNoise > 0) factors.Add(("weights", nominalIndicatorWeights.Length + nominalPillarWeights.Length));
        var dims = factors.Sum(f => f.Size);
        var runs = 0;

        int?[] Ranks(double[] u)
        {
            runs++;
            var column = 0;
            var options = nominal;
            var currentData = data;
            foreach (var (name, size) in factors)
            {
                switch (name)
                {
                    case "normalisation":
                        options = options with { Normalisation = Pick(normalisations, u[column]) };
                        break;
                    case "aggregation":
                        var aggregation = Pick(aggregations, u[column]);
                        options = options with { PillarAggregation = aggregation, IndexAggregation = aggregation };
                        break;
                    case "imputation":
                        options = options with { Imputation = Pick(imputations, u[column]) };
                        break;
                    default:
                        var iw = new double[nominalIndicatorWeights.Length];
                        var pw = new double[nominalPillarWeights.Length];
                        for (var i = 0; i < iw.Length; i++) iw[i] = nominalIndicatorWeights[i] * (1 + (settings.WeightNoise * ((2 * u[column + i]) - 1)));
                        for (var p = 0; p < pw.Length; p++) pw[p] = nominalPillarWeights[p] * (1 + (settings.WeightNoise * ((2 * u[column + iw.Length + p]) - 1)));
                        currentData = data.WithFramework(framework.WithWeights(iw, pw));
                        options = options with { Weighting = WeightingMethod.Explicit };
                        break;
                }

                column += size;
            }

            if (options.PillarAggregation is AggregationMethod.Geometric or AggregationMethod.Harmonic || options.IndexAggregation is AggregationMethod.Geometric or AggregationMethod.Harmonic)
                options = options with { ScoreMin = Math.Max(1, options.ScoreMin) };
            var result = CompositeIndex.Compute(currentData, options);
            return [.. result.IndexRanks];
        }

        double Shift(int?[] ranks) => ranked.Average(u => Math.Abs((ranks[u] ?? double.NaN) - nominalRanks[u]!.Value));

        // Uncertainty: plain Monte Carlo over N points.
        var random = new Random(settings.Seed);
        var samples = new double[settings.Runs][];
        for (var r = 0; r < settings.Runs; r++)
        {
            var u = new double[dims];
            for (var d = 0; d < dims; d++) u[d] = random.NextDouble();
            samples[r] = [.. Ranks(u).Select(x => x is { } v ? (double)v : double.NaN)];
        }

        var units = ImmutableArray.CreateBuilder<UnitUncertainty>(ranked.Length);
        foreach (var u in ranked)
        {
            var ranks = samples.Select(s => s[u]).Where(v => !double.IsNaN(v)).Order().ToArray();
            units.Add(new UnitUncertainty(
                data.Units[u], baseline.IndexScore(u), nominalRanks[u],
                Quantile(ranks, 0.5), Quantile(ranks, 0.05), Quantile(ranks, 0.95),
                ranks.Average(v => Math.Abs(v - nominalRanks[u]!.Value))));
        }

        var sensitivities = ImmutableArray<FactorSensitivity>.Empty;
        if (settings.Sobol && factors.Count > 0 && ranked.Length > 0)
        {
            var sobol = SobolAnalysis.Estimate(u => Shift(Ranks(u)), [.. factors.Select(f => f.Size)], settings.Runs, unchecked(settings.Seed + 1));
            sensitivities = [.. factors.Select((f, i) => new FactorSensitivity(f.Name, sobol.FirstOrder[i], sobol.Total[i], sobol.FirstOrderStandardError[i], sobol.TotalStandardError[i]))];
        }

        return new UncertaintyResult(units.MoveToImmutable(), sensitivities, runs);
    }

    /// <summary>Sample quantile of sorted values, R type 7: h = (n − 1)·p, linear between neighbours.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0) return double.NaN;
        var h = (sorted.Count - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }

    private static T Pick<T>(ImmutableArray<T> options, double u) => options[Math.Min(options.Length - 1, (int)(u * options.Length))];
}
