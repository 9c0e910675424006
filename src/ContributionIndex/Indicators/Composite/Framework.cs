using System.Collections.Immutable;
using System.Globalization;
using ContributionIndex.Diagnostics;

namespace ContributionIndex.Indicators.Composite;

/// <summary>Whether a higher raw value of an indicator is better (+) or worse (−).</summary>
public enum Direction
{
    /// <summary>Higher raw values are better ("+").</summary>
    Positive,

    /// <summary>Lower raw values are better ("−").</summary>
    Negative,
}

/// <summary>Parsing and formatting of <see cref="Direction"/>.</summary>
public static class DirectionText
{
    /// <summary>Parses "+" or "-" (also the Unicode minus sign); returns false for anything else.</summary>
    public static bool TryParse(string? text, out Direction direction)
    {
        switch (text?.Trim())
        {
            case "+":
                direction = Direction.Positive;
                return true;
            case "-":
            case "\u2212":
                direction = Direction.Negative;
                return true;
            default:
                direction = Direction.Positive;
                return false;
        }
    }

    /// <summary>Formats a direction as "+" or "-".</summary>
    public static string ToSymbol(this Direction direction) => direction == Direction.Positive ? "+" : "-";
}

/// <summary>One indicator of a composite framework.</summary>
/// <param name="Code">Unique indicator code, as used in the data.</param>
/// <param name="Pillar">The pillar (dimension, SDR "goal") the indicator belongs to.</param>
/// <param name="Direction">Whether higher raw values are better.</param>
/// <param name="Lower">Lower goalpost in raw units (bounded normalisation); null when not given.</param>
/// <param name="Upper">Upper goalpost in raw units (bounded normalisation); null when not given.</param>
/// <param name="Weight">Explicit weight within the pillar; null means equal weighting.</param>
/// <param name="Target">Target in raw units (distance-to-target normalisation); null when not given.</param>
/// <remarks>Goalposts are numeric bounds with <c>Lower &lt; Upper</c>; the direction decides which one scores 100
/// (<c>Upper</c> for +, <c>Lower</c> for −). SDR's "lower bound"/"optimum" pairs are converted with
/// <c>Lower = min(LB, Opt)</c>, <c>Upper = max(LB, Opt)</c>.</remarks>
public sealed record IndicatorDefinition(
    string Code, string Pillar, Direction Direction, double? Lower = null, double? Upper = null, double? Weight = null, double? Target = null);

/// <summary>A pillar of a framework: its name, indicators (in framework order) and optional explicit weight.</summary>
/// <param name="Name">Pillar name.</param>
/// <param name="Indicators">Indices into <see cref="Framework.Indicators"/> of the pillar's indicators.</param>
/// <param name="Weight">Explicit weight of the pillar in the index; null means equal weighting.</param>
public sealed record PillarDefinition(string Name, ImmutableArray<int> Indicators, double? Weight);

/// <summary>An immutable two-level framework: indicators grouped into pillars, pillars aggregated into one index.</summary>
public sealed class Framework
{
    private readonly Dictionary<string, int> _indicatorIndex;

    /// <summary>Creates and validates a framework.</summary>
    /// <param name="indicators">Indicator definitions; pillars appear in order of first mention.</param>
    /// <param name="pillarWeights">Optional explicit pillar weights by pillar name.</param>
    /// <param name="source">File the definitions came from, for error messages.</param>
    /// <param name="lines">Optional line numbers of each indicator definition, for error messages.</param>
    public Framework(
        IEnumerable<IndicatorDefinition> indicators,
        IReadOnlyDictionary<string, double>? pillarWeights = null,
        string source = "framework",
        IReadOnlyList<long>? lines = null)
    {
        ArgumentNullException.ThrowIfNull(indicators);
        Indicators = [.. indicators];
        if (Indicators.Length == 0)
            throw new InputDataException(SourceLocation.OfFile(source), "the framework defines no indicators.", "Add at least one row 'indicator,pillar,direction,...'.");
        _indicatorIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var pillarOrder = new List<string>();
        var members = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < Indicators.Length; i++)
        {
            var definition = Indicators[i];
            var where = lines is not null && i < lines.Count ? new SourceLocation(source, lines[i], 0) : SourceLocation.OfFile(source);
            if (string.IsNullOrWhiteSpace(definition.Code))
                throw new InputDataException(where, "the indicator code is empty.", "Give every indicator a unique code.");
            if (string.IsNullOrWhiteSpace(definition.Pillar))
                throw new InputDataException(where, $"indicator '{definition.Code}' has no pillar.", "Name the pillar it belongs to.");
            if (!_indicatorIndex.TryAdd(definition.Code, i))
                throw new InputDataException(where, $"indicator '{definition.Code}' is defined twice.", "Keep one row per indicator.");
            if (definition.Weight is { } w && (!double.IsFinite(w) || w < 0))
                throw new InputDataException(where, $"indicator '{definition.Code}' has weight {Format(w)}; weights must be finite and not negative.", "Fix the weight or leave it empty for equal weights.");
            if (definition.Lower is { } lo && definition.Upper is { } up && !(lo < up))
                throw new InputDataException(where, $"indicator '{definition.Code}' has lower {Format(lo)} not below upper {Format(up)}.", "Give numeric bounds with lower < upper; the direction decides which bound scores 100.");
            if (!members.TryGetValue(definition.Pillar, out var list))
            {
                list = [];
                members.Add(definition.Pillar, list);
                pillarOrder.Add(definition.Pillar);
            }

            list.Add(i);
        }

        var pillars = ImmutableArray.CreateBuilder<PillarDefinition>(pillarOrder.Count);
        foreach (var name in pillarOrder)
        {
            var list = members[name];
            var given = list.Count(i => Indicators[i].Weight is not null);
            if (given != 0 && given != list.Count)
                throw new InputDataException(SourceLocation.OfFile(source), $"pillar '{name}' gives weights for {given} of its {list.Count} indicators.", "Give a weight for every indicator of the pillar or for none (equal weights).");
            double? pillarWeight = null;
            if (pillarWeights is not null && pillarWeights.TryGetValue(name, out var pw))
            {
                if (!double.IsFinite(pw) || pw < 0)
                    throw new InputDataException(SourceLocation.OfFile(source), $"pillar '{name}' has weight {Format(pw)}; weights must be finite and not negative.", "Fix the pillar weight.");
                pillarWeight = pw;
            }

            pillars.Add(new PillarDefinition(name, [.. list], pillarWeight));
        }

        if (pillarWeights is not null)
        {
            foreach (var name in pillarWeights.Keys)
            {
                if (!members.ContainsKey(name))
                    throw new InputDataException(SourceLocation.OfFile(source), $"a weight is given for pillar '{name}', which has no indicators.", "Remove it or add its indicators.");
            }

            if (pillarWeights.Count != pillarOrder.Count && pillarWeights.Count != 0)
                throw new InputDataException(SourceLocation.OfFile(source), $"pillar weights are given for {pillarWeights.Count} of {pillarOrder.Count} pillars.", "Give a weight for every pillar or for none (equal weights).");
        }

        Pillars = pillars.MoveToImmutable();
        PillarOfIndicator = [.. Indicators.Select(d => pillarOrder.IndexOf(d.Pillar))];
        Source = source;
    }

    /// <summary>The indicators, in definition order.</summary>
    public ImmutableArray<IndicatorDefinition> Indicators { get; }

    /// <summary>The pillars, in order of first mention.</summary>
    public ImmutableArray<PillarDefinition> Pillars { get; }

    /// <summary>For each indicator, the index of its pillar in <see cref="Pillars"/>.</summary>
    public ImmutableArray<int> PillarOfIndicator { get; }

    /// <summary>The file (or label) the framework came from.</summary>
    public string Source { get; }

    /// <summary>Finds an indicator's position; returns false when the code is not in the framework.</summary>
    public bool TryGetIndicator(string code, out int index) => _indicatorIndex.TryGetValue(code, out index);

    /// <summary>Returns a copy with the given indicator and pillar weights (used by weight perturbation).</summary>
    public Framework WithWeights(IReadOnlyList<double> indicatorWeights, IReadOnlyList<double> pillarWeights)
    {
        ArgumentNullException.ThrowIfNull(indicatorWeights);
        ArgumentNullException.ThrowIfNull(pillarWeights);
        var indicators = Indicators.Select((d, i) => d with { Weight = indicatorWeights[i] });
        var pillars = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var p = 0; p < Pillars.Length; p++) pillars[Pillars[p].Name] = pillarWeights[p];
        return new Framework(indicators, pillars, Source);
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
