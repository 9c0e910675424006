using ContributionIndex.IO;
using ContributionIndex.Reporting;

namespace ContributionIndex.Rendering;

/// <summary>
/// Writes the annex's measure columns that carry an <see cref="SdmxMeasure"/> as SDMX-CSV 1.0 shaped on the global
/// SDG data structure (IAEG-SDGs:SDG): one observation per cell, dimensions in DSD order, <c>_T</c> where a row has
/// no breakdown (methodology/sdmx-series.md lists the national series and code choices).
/// </summary>
public static class SdmxCsvRenderer
{
    /// <summary>The default dataflow: a national flow on the SDG structure, since no global SDG series covers volunteering.</summary>
    public const string DefaultDataflow = "CONTRIB:DF_SDG_VOLUNTEER(1.0)";

    /// <summary>The dimensions of the SDG data structure, in order, before <c>TIME_PERIOD</c>.</summary>
    public static IReadOnlyList<string> Dimensions { get; } =
    [
        "FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", "SEX", "AGE", "URBANISATION", "INCOME_WEALTH_QUANTILE",
        "EDUCATION_LEV", "OCCUPATION", "CUST_BREAKDOWN", "COMPOSITE_BREAKDOWN", "DISABILITY_STATUS", "ACTIVITY", "PRODUCT",
    ];

    /// <summary>The attribute columns written after <c>OBS_VALUE</c>.</summary>
    public static IReadOnlyList<string> Attributes { get; } = ["UNIT_MEASURE", "UNIT_MULT", "OBS_STATUS", "NATURE", "COMMENT_OBS"];

    /// <summary>The full header row.</summary>
    public static IReadOnlyList<string> Header { get; } =
        ["DATAFLOW", .. Dimensions, "TIME_PERIOD", "OBS_VALUE", .. Attributes];

    /// <summary>
    /// The SDMX <c>OBS_STATUS</c> code of a flag (SDMX cross-domain code list CL_OBS_STATUS): A normal, U low
    /// reliability, Q missing (suppressed), O missing, M missing (cannot exist).
    /// </summary>
    public static string ObservationStatus(CellFlag flag) => flag switch
    {
        CellFlag.None => "A",
        CellFlag.LowReliability => "U",
        CellFlag.Suppressed => "Q",
        CellFlag.NotAvailable => "O",
        CellFlag.NotApplicable => "M",
        _ => throw new ArgumentOutOfRangeException(nameof(flag), flag, "Unknown cell flag."),
    };

    /// <summary>Renders the SDMX-CSV text of an annex for one reference year.</summary>
    /// <param name="annex">The annex.</param>
    /// <param name="timePeriod">The <c>TIME_PERIOD</c> (e.g. <c>2023</c>).</param>
    /// <param name="dataflow">The <c>DATAFLOW</c> value, <c>AGENCY:ID(VERSION)</c>.</param>
    public static string Render(Annex annex, string timePeriod, string dataflow = DefaultDataflow)
    {
        ArgumentNullException.ThrowIfNull(annex);
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        CsvText.WriteRecord(writer, Header);
        foreach (var table in annex.Tables)
        {
            foreach (var row in table.Rows)
            {
                if (row.Role == RowRole.GroupHeading) continue;
                for (var c = 0; c < table.Columns.Count; c++)
                {
                    var column = table.Columns[c];
                    if (column.Sdmx is not { } measure) continue;
                    var cell = row.Cells[c];
                    if (cell.Value is null && cell.Flag == CellFlag.None) continue;
                    var dims = row.DimensionValues;
                    var fields = new List<string> { CsvText.Text(dataflow) };
                    foreach (var dimension in Dimensions)
                    {
                        fields.Add(CsvText.Text(dimension switch
                        {
                            "FREQ" => "A",
                            "REPORTING_TYPE" => "N",
                            // A row may name its own series (one indicator per row); else the column's series applies.
                            "SERIES" => dims.TryGetValue("SERIES", out var s) ? s + measure.SeriesSuffix() : measure.Series,
                            _ => dims.TryGetValue(dimension, out var v) ? v : "_T",
                        }));
                    }

                    fields.Add(CsvText.Text(timePeriod));
                    // A fraction shown as a percentage (rate 0.1725) is published in percent (17.25) under UNIT_MEASURE PT.
                    fields.Add(cell.Value is { } value ? CsvText.Number(column.Style.Percent ? value * 100 : value) : "");
                    fields.Add(CsvText.Text(dims.TryGetValue("UNIT_MEASURE", out var unit) ? unit : measure.UnitMeasure));
                    fields.Add(measure.UnitMultiplier.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    fields.Add(ObservationStatus(cell.Flag));
                    fields.Add(CsvText.Text(dims.TryGetValue("NATURE", out var nature) ? nature : measure.Nature));
                    fields.Add(CsvText.Text(table.Id + "/" + column.Id));
                    CsvText.WriteRecord(writer, fields);
                }
            }
        }

        return writer.ToString();
    }

    /// <summary>Writes the SDMX-CSV file atomically.</summary>
    public static void WriteFile(Annex annex, string path, string timePeriod, string dataflow = DefaultDataflow) =>
        AtomicFile.WriteAllText(path, Render(annex, timePeriod, dataflow));

    private static string SeriesSuffix(this SdmxMeasure measure) => measure.RowSeriesSuffix ?? "";
}
