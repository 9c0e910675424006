using System.Collections.Immutable;

namespace ContributionIndex.Indicators.Composite;

/// <summary>Scores and ranks at every level of one index computation; immutable.</summary>
public sealed class IndexResult
{
    private readonly double[,] _normalised;
    private readonly bool[,] _rawImputed;
    private readonly double[,] _pillars;
    private readonly double[,] _pillarCoverage;
    private readonly bool[,] _pillarImputed;
    private readonly double[] _index;
    private readonly double[] _coverage;
    private readonly bool[] _eligible;
    private readonly int?[] _indexRanks;
    private readonly int?[][] _pillarRanks;
    private readonly int?[][] _indicatorRanks;

    internal IndexResult(
        Framework framework, IndexOptions options, ImmutableArray<string> units, double[,] normalised, bool[,] rawImputed, double[,] pillars,
        double[,] pillarCoverage, bool[,] pillarImputed, double[] index, double[] coverage, bool[] eligible,
        ImmutableArray<double> indicatorWeights, ImmutableArray<double> pillarWeights, ImmutableArray<PcaWeights?> pca)
    {
        Framework = framework;
        Options = options;
        Units = units;
        _normalised = normalised;
        _rawImputed = rawImputed;
        _pillars = pillars;
        _pillarCoverage = pillarCoverage;
        _pillarImputed = pillarImputed;
        _index = index;
        _coverage = coverage;
        _eligible = eligible;
        IndicatorWeights = indicatorWeights;
        PillarWeights = pillarWeights;
        PcaDetails = pca;
        _indexRanks = Ranking.Descending(index);
        _pillarRanks = [.. Enumerable.Range(0, framework.Pillars.Length).Select(p => Ranking.Descending(Column(pillars, p, eligible)))];
        _indicatorRanks = [.. Enumerable.Range(0, framework.Indicators.Length).Select(i => Ranking.Descending(Column(normalised, i, eligible)))];
    }

    /// <summary>The framework.</summary>
    public Framework Framework { get; }

    /// <summary>The options used.</summary>
    public IndexOptions Options { get; }

    /// <summary>Units, in data order.</summary>
    public ImmutableArray<string> Units { get; }

    /// <summary>Weights used for each indicator within its pillar (not normalised; the means divide by their sum).</summary>
    public ImmutableArray<double> IndicatorWeights { get; }

    /// <summary>Weights used for each pillar in the index.</summary>
    public ImmutableArray<double> PillarWeights { get; }

    /// <summary>PCA facts per pillar when PCA weighting was used; null entries otherwise.</summary>
    public ImmutableArray<PcaWeights?> PcaDetails { get; }

    /// <summary>Normalised score of an indicator (NaN = missing).</summary>
    public double IndicatorScore(int unit, int indicator) => _normalised[unit, indicator];

    /// <summary>Whether the raw value was filled from the previous period.</summary>
    public bool IsIndicatorImputed(int unit, int indicator) => _rawImputed[unit, indicator];

    /// <summary>Pillar score (NaN = missing even after imputation).</summary>
    public double PillarScore(int unit, int pillar) => _pillars[unit, pillar];

    /// <summary>Share of the pillar's indicators the unit has.</summary>
    public double PillarCoverage(int unit, int pillar) => _pillarCoverage[unit, pillar];

    /// <summary>Whether the pillar score was imputed with the group mean.</summary>
    public bool IsPillarImputed(int unit, int pillar) => _pillarImputed[unit, pillar];

    /// <summary>Index score (NaN when the unit is screened out or has no pillar).</summary>
    public double IndexScore(int unit) => _index[unit];

    /// <summary>Share of all framework indicators the unit has (after previous-year imputation).</summary>
    public double UnitCoverage(int unit) => _coverage[unit];

    /// <summary>Whether the unit passed the data-availability threshold (gets an index score and ranks).</summary>
    public bool IsRanked(int unit) => _eligible[unit];

    /// <summary>Rank of the index score (1 = best; ties share the best rank; null when unranked).</summary>
    public int? IndexRank(int unit) => _indexRanks[unit];

    /// <summary>Rank of the pillar score among ranked units.</summary>
    public int? PillarRank(int unit, int pillar) => _pillarRanks[pillar][unit];

    /// <summary>Rank of the normalised indicator score among ranked units.</summary>
    public int? IndicatorRank(int unit, int indicator) => _indicatorRanks[indicator][unit];

    /// <summary>All index scores in unit order.</summary>
    public ImmutableArray<double> IndexScores => [.. _index];

    /// <summary>All index ranks in unit order.</summary>
    public ImmutableArray<int?> IndexRanks => [.. _indexRanks];

    private static double[] Column(double[,] matrix, int column, bool[] eligible)
    {
        var result = new double[matrix.GetLength(0)];
        for (var u = 0; u < result.Length; u++) result[u] = eligible[u] ? matrix[u, column] : double.NaN;
        return result;
    }
}
