using System.Collections.Immutable;
using ContributionIndex.Diagnostics;

namespace ContributionIndex.Indicators.Composite;

/// <summary>Computes a two-level composite index (indicators → pillars → index) following the OECD/JRC steps 3, 5, 6 and 7.</summary>
/// <remarks>Order of operations (methodology/index.md): previous-year imputation of raw values → unit screening by
/// coverage → normalisation (reference = screened-in units) → weights → pillar aggregation over available indicators,
/// pillars below the coverage threshold set missing → group-mean imputation of missing pillars → index aggregation over
/// available pillars → ranks.</remarks>
public static class CompositeIndex
{
    /// <summary>Computes scores and ranks at every level.</summary>
    /// <exception cref="InputDataException">A method needs something the framework or data lack (bounds, target, groups).</exception>
    public static IndexResult Compute(IndicatorData data, IndexOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new IndexOptions();
        var framework = data.Framework;
        var units = data.Units;
        int nU = units.Length, nI = framework.Indicators.Length, nP = framework.Pillars.Length;
        Validate(options, framework);

        // Step 3a: previous-year imputation fills raw values before anything else.
        var raw = new double[nU, nI];
        var rawImputed = new bool[nU, nI];
        var previous = options.Imputation == ImputationMethod.PreviousYear ? options.PreviousPeriod : null;
        if (options.Imputation == ImputationMethod.PreviousYear && previous is null)
            throw new InputDataException(SourceLocation.OfFile(framework.Source), "previous-year imputation needs the previous period's data.", "Pass IndexOptions.PreviousPeriod or choose another imputation.");
        for (var u = 0; u < nU; u++)
        {
            var pu = previous?.IndexOfUnit(units[u]) ?? -1;
            for (var i = 0; i < nI; i++)
            {
                raw[u, i] = data[u, i];
                if (double.IsNaN(raw[u, i]) && pu >= 0 && previous!.Framework.TryGetIndicator(framework.Indicators[i].Code, out var pi) && !double.IsNaN(previous[pu, pi]))
                {
                    raw[u, i] = previous[pu, pi];
                    rawImputed[u, i] = true;
                }
            }
        }

        // Step 2: data availability per unit.
        var coverage = new double[nU];
        var eligible = new bool[nU];
        for (var u = 0; u < nU; u++)
        {
            var available = 0;
            for (var i = 0; i < nI; i++)
            {
                if (!double.IsNaN(raw[u, i])) available++;
            }

            coverage[u] = (double)available / nI;
            eligible[u] = coverage[u] >= options.MinUnitCoverage && available > 0;
        }

        // Step 5: normalisation, indicator by indicator, against the screened-in units.
        var normalised = new double[nU, nI];
        for (var i = 0; i < nI; i++)
        {
            var column = new double[nU];
            for (var u = 0; u < nU; u++) column[u] = raw[u, i];
            var scores = Normaliser.Column(column, eligible, framework.Indicators[i], options);
            for (var u = 0; u < nU; u++) normalised[u, i] = scores[u];
        }

        // Step 6: weights.
        var indicatorWeights = new double[nI];
        var pcaDetails = new PcaWeights?[nP];
        for (var p = 0; p < nP; p++)
        {
            var members = framework.Pillars[p].Indicators;
            if (options.Weighting == WeightingMethod.Pca)
            {
                var block = new double[nU, members.Length];
                var rows = 0;
                for (var u = 0; u < nU; u++)
                {
                    if (!eligible[u]) continue;
                    for (var m = 0; m < members.Length; m++) block[rows, m] = normalised[u, members[m]];
                    rows++;
                }

                var trimmed = new double[rows, members.Length];
                for (var r = 0; r < rows; r++)
                {
                    for (var m = 0; m < members.Length; m++) trimmed[r, m] = block[r, m];
                }

                PcaWeights pca;
                try
                {
                    pca = PcaWeighting.Compute(trimmed);
                }
                catch (InvalidOperationException ex)
                {
                    throw new InputDataException(SourceLocation.OfFile(framework.Source), $"pillar '{framework.Pillars[p].Name}': {ex.Message}", "Use equal or explicit weights for this framework.", ex);
                }

                pcaDetails[p] = pca;
                for (var m = 0; m < members.Length; m++) indicatorWeights[members[m]] = pca.Weights[m];
            }
            else
            {
                foreach (var i in members)
                {
                    indicatorWeights[i] = options.Weighting == WeightingMethod.Explicit ? framework.Indicators[i].Weight ?? 1.0 : 1.0;
                }
            }
        }

        var pillarWeights = new double[nP];
        for (var p = 0; p < nP; p++)
        {
            pillarWeights[p] = options.Weighting == WeightingMethod.Equal ? 1.0 : framework.Pillars[p].Weight ?? 1.0;
        }

        // Step 7a: pillar scores over available indicators; pillars below the coverage threshold are missing.
        var pillarScores = new double[nU, nP];
        var pillarCoverage = new double[nU, nP];
        for (var p = 0; p < nP; p++)
        {
            var members = framework.Pillars[p].Indicators;
            var values = new double[members.Length];
            var weights = new double[members.Length];
            for (var m = 0; m < members.Length; m++) weights[m] = indicatorWeights[members[m]];
            for (var u = 0; u < nU; u++)
            {
                var available = 0;
                for (var m = 0; m < members.Length; m++)
                {
                    values[m] = normalised[u, members[m]];
                    if (!double.IsNaN(values[m])) available++;
                }

                pillarCoverage[u, p] = (double)available / members.Length;
                pillarScores[u, p] = available == 0 || pillarCoverage[u, p] < options.MinPillarCoverage
                    ? double.NaN
                    : Mean(values, weights, options.PillarAggregation, options.PowerMeanExponent, units[u], $"pillar '{framework.Pillars[p].Name}'");
            }
        }

        // Step 3b: group-mean imputation of missing pillars, donors = screened-in units with an observed pillar score.
        var pillarImputed = new bool[nU, nP];
        if (options.Imputation == ImputationMethod.GroupMean)
        {
            var groups = options.Groups ?? throw new InputDataException(SourceLocation.OfFile(framework.Source), "group-mean imputation needs a group for every unit.", "Pass a units file with columns unit,group.");
            var groupOf = new string[nU];
            for (var u = 0; u < nU; u++)
            {
                if (!groups.TryGetValue(units[u], out var g))
                    throw new InputDataException(SourceLocation.OfFile("groups"), $"unit '{units[u]}' has no group, which group-mean imputation needs.", "Add a row 'unit,group' for it.");
                groupOf[u] = g;
            }

            var observed = (double[,])pillarScores.Clone();
            for (var p = 0; p < nP; p++)
            {
                var sums = new Dictionary<string, (double Sum, int Count)>(StringComparer.Ordinal);
                for (var u = 0; u < nU; u++)
                {
                    if (!eligible[u] || double.IsNaN(observed[u, p])) continue;
                    sums.TryGetValue(groupOf[u], out var acc);
                    sums[groupOf[u]] = (acc.Sum + observed[u, p], acc.Count + 1);
                }

                for (var u = 0; u < nU; u++)
                {
                    if (!double.IsNaN(observed[u, p]) || !sums.TryGetValue(groupOf[u], out var acc)) continue;
                    pillarScores[u, p] = acc.Sum / acc.Count;
                    pillarImputed[u, p] = true;
                }
            }
        }

        // Step 7b: the index over available pillars, for screened-in units only.
        var index = new double[nU];
        var row = new double[nP];
        for (var u = 0; u < nU; u++)
        {
            if (!eligible[u])
            {
                index[u] = double.NaN;
                continue;
            }

            for (var p = 0; p < nP; p++) row[p] = pillarScores[u, p];
            index[u] = Mean(row, pillarWeights, options.IndexAggregation, options.PowerMeanExponent, units[u], "index");
        }

        return new IndexResult(framework, options, units, normalised, rawImputed, pillarScores, pillarCoverage, pillarImputed, index, coverage, eligible,
            [.. indicatorWeights], [.. pillarWeights], [.. pcaDetails]);
    }

    private static double Mean(double[] values, double[] weights, AggregationMethod method, double power, string unit, string level)
    {
        try
        {
            return Aggregator.Mean(values, weights, method, power);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new InputDataException(SourceLocation.OfFile("data"), $"unit '{unit}', {level}: {ex.Message.Split(" (Parameter", 2)[0]}.", "Normalise onto a scale that starts above 0 (score minimum 1, as COINr advises) or use arithmetic aggregation.", ex);
        }
    }

    private static void Validate(IndexOptions options, Framework framework)
    {
        var where = SourceLocation.OfFile(framework.Source);
        if (options.MinUnitCoverage is < 0 or > 1 || double.IsNaN(options.MinUnitCoverage))
            throw new InputDataException(where, "the unit coverage threshold must lie between 0 and 1.", "E.g. 0.8 for the SDR rule.");
        if (options.MinPillarCoverage is < 0 or > 1 || double.IsNaN(options.MinPillarCoverage))
            throw new InputDataException(where, "the pillar coverage threshold must lie between 0 and 1.", "E.g. 0.2.");
        if (!(options.ScoreMax > options.ScoreMin))
            throw new InputDataException(where, "the score scale needs ScoreMin < ScoreMax.", "E.g. 0 and 100.");
        if (options.Weighting == WeightingMethod.Explicit && framework.Indicators.All(d => d.Weight is null) && framework.Pillars.All(p => p.Weight is null))
            throw new InputDataException(where, "explicit weighting was asked for but the framework gives no weights.", "Fill the weight column or use equal weighting.");
    }
}
