using System.Collections.Immutable;
using System.Globalization;
using ContributionIndex.Diagnostics;

namespace ContributionIndex.Indicators.Composite;

/// <summary>One raw value of one indicator for one unit (a long-format data row).</summary>
/// <param name="Unit">Unit code (country, region, organisation).</param>
/// <param name="Indicator">Indicator code; must be in the framework.</param>
/// <param name="Value">Raw value; null or NaN when missing.</param>
/// <param name="Location">Where the row came from, for error messages.</param>
public readonly record struct Observation(string Unit, string Indicator, double? Value, SourceLocation Location = default);

/// <summary>An immutable unit × indicator matrix of raw values aligned to a framework (NaN = missing).</summary>
public sealed class IndicatorData
{
    private readonly double[] _values;

    private IndicatorData(Framework framework, ImmutableArray<string> units, double[] values)
    {
        Framework = framework;
        Units = units;
        _values = values;
    }

    /// <summary>The framework the columns follow.</summary>
    public Framework Framework { get; }

    /// <summary>Units in order of first appearance in the data.</summary>
    public ImmutableArray<string> Units { get; }

    /// <summary>The raw value of indicator <paramref name="indicator"/> for unit <paramref name="unit"/>; NaN when missing.</summary>
    public double this[int unit, int indicator] => _values[(unit * Framework.Indicators.Length) + indicator];

    /// <summary>Builds the matrix from long-format observations.</summary>
    /// <exception cref="InputDataException">An indicator is not in the framework, a unit/indicator pair occurs twice, or a value is infinite.</exception>
    public static IndicatorData FromObservations(Framework framework, IEnumerable<Observation> observations)
    {
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(observations);
        var unitIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var units = ImmutableArray.CreateBuilder<string>();
        var cells = new List<(int Unit, int Indicator, double Value)>();
        var seen = new Dictionary<(int, int), SourceLocation>();
        var width = framework.Indicators.Length;
        foreach (var row in observations)
        {
            var where = row.Location.File is null ? SourceLocation.OfFile("data") : row.Location;
            if (string.IsNullOrWhiteSpace(row.Unit))
                throw new InputDataException(where, "the unit is empty.", "Give every row a unit code.");
            if (!framework.TryGetIndicator(row.Indicator, out var indicator))
                throw new InputDataException(where, $"indicator '{row.Indicator}' is not in the framework {framework.Source}.", "Add it to the framework or remove the row (codes are case-sensitive).");
            if (!unitIndex.TryGetValue(row.Unit, out var unit))
            {
                unit = units.Count;
                unitIndex.Add(row.Unit, unit);
                units.Add(row.Unit);
            }

            if (!seen.TryAdd((unit, indicator), where))
                throw new InputDataException(where, $"unit '{row.Unit}' has a second row for indicator '{row.Indicator}' (first at {seen[(unit, indicator)]}).", "Keep one row per unit and indicator.");
            var value = row.Value ?? double.NaN;
            if (double.IsInfinity(value))
                throw new InputDataException(where, $"the value for unit '{row.Unit}', indicator '{row.Indicator}' is infinite.", "Give a finite number or leave the cell empty for missing.");
            cells.Add((unit, indicator, value));
        }

        var values = new double[units.Count * width];
        Array.Fill(values, double.NaN);
        foreach (var (unit, indicator, value) in cells) values[(unit * width) + indicator] = value;
        return new IndicatorData(framework, units.ToImmutable(), values);
    }

    /// <summary>Builds the matrix directly from a dense array (rows = units, columns = framework indicators, NaN = missing).</summary>
    public static IndicatorData FromMatrix(Framework framework, IReadOnlyList<string> units, double[,] values)
    {
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(values);
        if (values.GetLength(0) != units.Count || values.GetLength(1) != framework.Indicators.Length)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The matrix is {values.GetLength(0)}×{values.GetLength(1)}, expected {units.Count}×{framework.Indicators.Length}."), nameof(values));
        if (units.Distinct(StringComparer.Ordinal).Count() != units.Count)
            throw new ArgumentException("Unit codes must be unique.", nameof(units));
        var width = framework.Indicators.Length;
        var flat = new double[units.Count * width];
        for (var u = 0; u < units.Count; u++)
        {
            for (var i = 0; i < width; i++) flat[(u * width) + i] = values[u, i];
        }

        return new IndicatorData(framework, [.. units], flat);
    }

    /// <summary>Returns the position of a unit, or −1 when it is not in the data.</summary>
    public int IndexOfUnit(string unit) => Units.IndexOf(unit, StringComparer.Ordinal);

    /// <summary>Returns a copy with every value replaced by <paramref name="transform"/>(unit, indicator, value).</summary>
    public IndicatorData Select(Func<int, int, double, double> transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        var width = Framework.Indicators.Length;
        var copy = new double[_values.Length];
        for (var u = 0; u < Units.Length; u++)
        {
            for (var i = 0; i < width; i++) copy[(u * width) + i] = transform(u, i, _values[(u * width) + i]);
        }

        return new IndicatorData(Framework, Units, copy);
    }

    /// <summary>Returns the same values under another framework with identical indicator codes and order (e.g. perturbed weights).</summary>
    public IndicatorData WithFramework(Framework framework)
    {
        ArgumentNullException.ThrowIfNull(framework);
        if (!framework.Indicators.Select(d => d.Code).SequenceEqual(Framework.Indicators.Select(d => d.Code), StringComparer.Ordinal))
            throw new ArgumentException("The new framework must have the same indicators in the same order.", nameof(framework));
        return new IndicatorData(framework, Units, _values);
    }
}
