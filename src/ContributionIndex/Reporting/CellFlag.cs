namespace ContributionIndex.Reporting;

/// <summary>
/// The shorthand symbol attached to a table cell (UK Analysis Function "Using symbols and shorthand", Eurostat/UN use
/// the same letters); shown in square brackets in its own column so that value columns stay numeric.
/// </summary>
public enum CellFlag
{
    /// <summary>No flag: the value is published as it is.</summary>
    None = 0,

    /// <summary><c>[u]</c> low reliability: coefficient of variation between the release and suppression thresholds; use with caution.</summary>
    LowReliability,

    /// <summary><c>[c]</c> suppressed: too few respondents or too unreliable to publish; the value is withheld.</summary>
    Suppressed,

    /// <summary><c>[x]</c> not available: the value could not be produced from the inputs.</summary>
    NotAvailable,

    /// <summary><c>[z]</c> not applicable: the value has no meaning for this row and column.</summary>
    NotApplicable,
}

/// <summary>Symbols of <see cref="CellFlag"/> values.</summary>
public static class CellFlags
{
    /// <summary>All flags that carry a symbol, in the order the legend lists them.</summary>
    public static IReadOnlyList<CellFlag> Published { get; } =
        [CellFlag.LowReliability, CellFlag.Suppressed, CellFlag.NotAvailable, CellFlag.NotApplicable];

    /// <summary>The bracketed symbol, e.g. <c>[u]</c>; empty for <see cref="CellFlag.None"/>.</summary>
    public static string Symbol(this CellFlag flag) => flag switch
    {
        CellFlag.None => "",
        CellFlag.LowReliability => "[u]",
        CellFlag.Suppressed => "[c]",
        CellFlag.NotAvailable => "[x]",
        CellFlag.NotApplicable => "[z]",
        _ => throw new ArgumentOutOfRangeException(nameof(flag), flag, "Unknown cell flag."),
    };

    /// <summary>The bare letter of a flag (<c>u</c>, <c>c</c>, <c>x</c>, <c>z</c>); empty for none.</summary>
    public static string Letter(this CellFlag flag) => flag == CellFlag.None ? "" : flag.Symbol().Substring(1, 1);

    /// <summary>Whether the value of a cell with this flag is withheld (suppressed, not available, not applicable).</summary>
    public static bool WithholdsValue(this CellFlag flag) =>
        flag is CellFlag.Suppressed or CellFlag.NotAvailable or CellFlag.NotApplicable;

    /// <summary>The resource key of the flag's legend text.</summary>
    public static string LegendKey(this CellFlag flag) => "flag." + flag.Letter();
}
