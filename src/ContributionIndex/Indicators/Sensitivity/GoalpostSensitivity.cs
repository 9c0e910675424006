using System.Collections.Immutable;
using ContributionIndex.Indicators.Composite;

namespace ContributionIndex.Indicators.Sensitivity;

/// <summary>
/// The index recomputed with one indicator's goalpost range scaled (methodology/index.md, "Goalpost sensitivity"):
/// for indicator i and factor f the range becomes <c>[L_i, L_i + f·(U_i − L_i)]</c>, every other choice unchanged.
/// </summary>
/// <param name="Indicator">The indicator whose goalposts were changed.</param>
/// <param name="Factor">The factor <c>f</c> applied to the goalpost range.</param>
/// <param name="Lower">The lower goalpost used.</param>
/// <param name="Upper">The upper goalpost used.</param>
/// <param name="Scores">Every unit's index score under the changed goalposts, aligned on the base result's units.</param>
/// <param name="Ranks">Every unit's index rank under the changed goalposts.</param>
/// <param name="MaxAbsoluteChange">The largest absolute change of any unit's index score, in score points.</param>
/// <param name="RanksChanged">The number of units whose rank changed.</param>
public sealed record GoalpostShift(string Indicator, double Factor, double Lower, double Upper, ImmutableArray<double> Scores,
    ImmutableArray<int?> Ranks, double MaxAbsoluteChange, int RanksChanged);

/// <summary>How a bounded index answers to each indicator's goalposts, and which raw values the goalposts clip.</summary>
public static class GoalpostSensitivity
{
    /// <summary>The factors applied to each goalpost range by default: half and one and a half times the range.</summary>
    public static IReadOnlyList<double> DefaultFactors { get; } = [0.5, 1.5];

    /// <summary>Recomputes the index once per indicator with goalposts and factor (indicator order, then factor order).</summary>
    /// <param name="data">The raw indicator matrix under the study's framework.</param>
    /// <param name="options">The study's index options (normally bounded normalisation; other normalisations ignore goalposts).</param>
    /// <param name="factors">Factors for the goalpost range; <see cref="DefaultFactors"/> when null.</param>
    public static IReadOnlyList<GoalpostShift> Compute(IndicatorData data, IndexOptions options, IReadOnlyList<double>? factors = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        factors ??= DefaultFactors;
        var framework = data.Framework;
        var baseline = CompositeIndex.Compute(data, options);
        var shifts = new List<GoalpostShift>();
        for (int i = 0; i < framework.Indicators.Length; i++)
        {
            var definition = framework.Indicators[i];
            if (definition is not { Lower: { } lower, Upper: { } upper }) continue;
            foreach (var factor in factors)
            {
                if (!double.IsFinite(factor) || factor <= 0) throw new ArgumentOutOfRangeException(nameof(factors), factor, "A goalpost factor must be positive.");
                var changedUpper = lower + (factor * (upper - lower));
                var changed = Rebuild(framework, i, definition with { Upper = changedUpper });
                var result = CompositeIndex.Compute(data.WithFramework(changed), options);
                var maxChange = 0.0;
                var ranksChanged = 0;
                for (int u = 0; u < data.Units.Length; u++)
                {
                    var before = baseline.IndexScore(u);
                    var after = result.IndexScore(u);
                    if (double.IsFinite(before) && double.IsFinite(after)) maxChange = Math.Max(maxChange, Math.Abs(after - before));
                    if (baseline.IndexRank(u) != result.IndexRank(u)) ranksChanged++;
                }

                shifts.Add(new GoalpostShift(definition.Code, factor, lower, changedUpper, result.IndexScores, result.IndexRanks, maxChange, ranksChanged));
            }
        }

        return shifts;
    }

    /// <summary>
    /// The units whose raw value of indicator <paramref name="indicator"/> lies outside its goalposts, so that bounded
    /// normalisation clips them to 0 or 100 (an indicator clipped for every unit adds nothing to the index).
    /// </summary>
    public static IReadOnlyList<string> Clipped(IndicatorData data, int indicator)
    {
        ArgumentNullException.ThrowIfNull(data);
        var definition = data.Framework.Indicators[indicator];
        var clipped = new List<string>();
        for (int u = 0; u < data.Units.Length; u++)
        {
            var x = data[u, indicator];
            if (double.IsFinite(x) && ((definition.Lower is { } l && x < l) || (definition.Upper is { } h && x > h))) clipped.Add(data.Units[u]);
        }

        return clipped;
    }

    private static Framework Rebuild(Framework framework, int index, IndicatorDefinition replacement)
    {
        var pillarWeights = framework.Pillars.Where(p => p.Weight is not null).ToDictionary(p => p.Name, p => p.Weight!.Value, StringComparer.Ordinal);
        var definitions = framework.Indicators.Select((d, i) => i == index ? replacement : d);
        return new Framework(definitions, pillarWeights.Count == 0 ? null : pillarWeights, framework.Source);
    }
}
