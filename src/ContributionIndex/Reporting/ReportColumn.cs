namespace ContributionIndex.Reporting;

/// <summary>What a column holds.</summary>
public enum ColumnKind
{
    /// <summary>A label that identifies the row (a breakdown such as sex or region); text, left-aligned.</summary>
    Dimension,

    /// <summary>A measured number (estimate, total, value); right-aligned, stored as a number.</summary>
    Measure,

    /// <summary>A precision measure of another column (standard error, confidence bound, CV, degrees of freedom, n).</summary>
    Precision,
}

/// <summary>
/// How a number is displayed: fixed decimals, optionally as a percentage of the stored fraction or in thousands or
/// millions. The cell keeps the model's value; the style says how every renderer shows it (<see cref="Shown"/>).
/// </summary>
/// <param name="Decimals">Digits after the decimal separator (0–6).</param>
/// <param name="Percent">Whether the stored value is a fraction shown multiplied by 100 (Excel <c>0.0%</c>).</param>
/// <param name="Scale">
/// Power of ten the stored value is shown in: 0 units, 3 thousands, 6 millions (the column heading names it; SDMX
/// <c>UNIT_MULT</c>). Scaling happens at presentation: cells and disclosure control keep the values in units.
/// </param>
public readonly record struct NumberStyle(int Decimals, bool Percent = false, int Scale = 0)
{
    /// <summary>Currency in millions with one decimal (the heading says "millions").</summary>
    public static NumberStyle Millions { get; } = new(1, Scale: 6);

    /// <summary>Currency in thousands with one decimal (the heading says "thousands").</summary>
    public static NumberStyle Thousands { get; } = new(1, Scale: 3);

    /// <summary>The stored value in the shown unit, not rounded: ×100 for a percentage, ÷10^<see cref="Scale"/> otherwise.</summary>
    public double Shown(double value) => Percent ? value * 100 : Scale == 0 ? value : value / Math.Pow(10, Scale);

    /// <summary>The value as published: <see cref="Shown"/> rounded half away from zero to <see cref="Decimals"/>, never <c>-0</c>.</summary>
    public double Published(double value)
    {
        var rounded = Math.Round(Shown(value), Math.Clamp(Decimals, 0, 6), MidpointRounding.AwayFromZero);
        return rounded == 0 ? 0 : rounded;
    }

    /// <summary>Whole numbers with thousands separators.</summary>
    public static NumberStyle Integer { get; } = new(0);

    /// <summary>One decimal.</summary>
    public static NumberStyle OneDecimal { get; } = new(1);

    /// <summary>Two decimals.</summary>
    public static NumberStyle TwoDecimals { get; } = new(2);

    /// <summary>A fraction shown as a percentage with one decimal.</summary>
    public static NumberStyle PercentOneDecimal { get; } = new(1, Percent: true);

    /// <summary>The Excel number format code (culture-neutral; Excel localises the separators).</summary>
    public string ExcelFormat
    {
        get
        {
            var body = Decimals == 0 ? "#,##0" : "#,##0." + new string('0', Decimals);
            return Percent ? body + "%" : body;
        }
    }
}

/// <summary>One column of a report table.</summary>
/// <param name="Id">Stable machine identifier (snake_case), used in CSV and as the SDMX measure key.</param>
/// <param name="Heading">Column heading in the report language, with units where they differ per column.</param>
/// <param name="Kind">What the column holds.</param>
/// <param name="Style">Number display style (ignored for dimensions).</param>
/// <param name="Unit">Unit code of the values (e.g. <c>HOURS</c>, <c>PERSONS</c>, <c>KZT</c>, <c>PT</c>); null for dimensions.</param>
/// <param name="Sdmx">How the column's values map to an SDMX series; null when the column is not published as SDMX.</param>
public sealed record ReportColumn(
    string Id,
    string Heading,
    ColumnKind Kind,
    NumberStyle Style = default,
    string? Unit = null,
    SdmxMeasure? Sdmx = null)
{
    /// <summary>Whether cells of this column hold numbers.</summary>
    public bool IsNumeric => Kind != ColumnKind.Dimension;

    /// <summary>Makes a dimension (row label) column.</summary>
    public static ReportColumn Dimension(string id, string heading) => new(id, heading, ColumnKind.Dimension);

    /// <summary>Makes a measure column.</summary>
    public static ReportColumn Measure(string id, string heading, NumberStyle style, string unit, SdmxMeasure? sdmx = null) =>
        new(id, heading, ColumnKind.Measure, style, unit, sdmx);

    /// <summary>Makes a precision column (SE, CI bound, CV, df, n).</summary>
    public static ReportColumn Precision(string id, string heading, NumberStyle style, string unit) =>
        new(id, heading, ColumnKind.Precision, style, unit);
}

/// <summary>The SDMX identity of a measure column: its series code, unit and unit multiplier.</summary>
/// <param name="Series">National series code (methodology/sdmx-series.md), e.g. <c>VC_VOL_NUM</c>.</param>
/// <param name="UnitMeasure">SDMX <c>UNIT_MEASURE</c> code, e.g. <c>NUMBER</c>, <c>PT</c>, <c>HOURS</c>, <c>CON_USD</c>.</param>
/// <param name="UnitMultiplier">SDMX <c>UNIT_MULT</c>: power of ten of the model values (0 = units); the column's <see cref="NumberStyle.Scale"/> is added to it.</param>
/// <param name="Nature">SDG <c>NATURE</c>: <c>C</c> country data (default), <c>M</c> modelled (composite index).</param>
/// <param name="RowSeriesSuffix">
/// When a row names its own series (dimension <c>SERIES</c>, e.g. one indicator per row), the suffix this column adds
/// to it (e.g. <c>_SE</c>); null to use the row's series as it is.
/// </param>
public sealed record SdmxMeasure(string Series, string UnitMeasure, int UnitMultiplier = 0, string Nature = "C", string? RowSeriesSuffix = null);
