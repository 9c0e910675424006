using System.Globalization;
using ContributionIndex.IO;
using ContributionIndex.Reporting;

namespace ContributionIndex.Rendering;

/// <summary>
/// Writes the annex's measure columns that carry an <see cref="SdmxMeasure"/> as SDMX-CSV 1.0 shaped on the global
/// SDG data structure (IAEG-SDGs:SDG): one observation per cell, dimensions in DSD order, <c>_T</c> where a row has
/// no breakdown, every series key once (methodology/sdmx-series.md lists the national series and code choices).
/// </summary>
public static class SdmxCsvRenderer
{
    /// <summary>The default dataflow: a national flow on the SDG structure, since no global SDG series covers volunteering.</summary>
    public const string DefaultDataflow = "CONTRIB:DF_SDG_VOLUNTEER(1.0)";

    /// <summary>
    /// The suffix of the series of a figure from an administrative source (a volunteer platform's hour log): such a figure
    /// measures another population than the survey estimate, so it is another series (<c>VOL_HRS</c> and <c>VOL_HRS_ADM</c>).
    /// </summary>
    public const string AdministrativeSuffix = "_ADM";

    /// <summary>The dimensions of the SDG data structure, in order, before <c>TIME_PERIOD</c>.</summary>
    public static IReadOnlyList<string> Dimensions { get; } =
    [
        "FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", "SEX", "AGE", "URBANISATION", "INCOME_WEALTH_QUANTILE",
        "EDUCATION_LEV", "OCCUPATION", "CUST_BREAKDOWN", "COMPOSITE_BREAKDOWN", "DISABILITY_STATUS", "ACTIVITY", "PRODUCT",
    ];

    /// <summary>The attribute columns written after <c>OBS_VALUE</c>.</summary>
    public static IReadOnlyList<string> Attributes { get; } =
        ["UNIT_MEASURE", "UNIT_MULT", "OBS_STATUS", "NATURE", "SOURCE_DETAIL", "LOWER_BOUND", "UPPER_BOUND", "COMMENT_OBS"];

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

    /// <summary>
    /// A value as the annex publishes it: rounded half away from zero to the column's decimals (a fraction shown as a
    /// percentage multiplied by 100 first, a scaled column divided by 10^scale first, see <c>UNIT_MULT</c>), written in fixed-point notation with the invariant culture, never in
    /// scientific notation, never <c>-0</c>.
    /// </summary>
    public static string PublishedNumber(double value, NumberStyle style)
    {
        var decimals = Math.Clamp(style.Decimals, 0, 6);
        return style.Published(value).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>One observation of the file: its key (dimension values in <see cref="Dimensions"/> order) and its fields.</summary>
    /// <param name="Key">The dimension values, in DSD order.</param>
    /// <param name="Fields">All fields of the record, in <see cref="Header"/> order.</param>
    public sealed record Observation(IReadOnlyList<string> Key, IReadOnlyList<string> Fields);

    /// <summary>
    /// The observations of an annex in file order, each key once: a figure published in two tables (T2's total hours
    /// and T4's) is written once; two different figures under one key are an error.
    /// </summary>
    /// <exception cref="InvalidOperationException">Two cells with different values or flags map to the same series key.</exception>
    public static IReadOnlyList<Observation> Observations(Annex annex, string timePeriod, string dataflow = DefaultDataflow)
    {
        ArgumentNullException.ThrowIfNull(annex);
        var result = new List<Observation>();
        var seen = new Dictionary<string, (Observation Observation, string Where)>(StringComparer.Ordinal);
        foreach (var table in annex.Tables)
        {
            var sourceColumn = IndexOf(table, "source");
            foreach (var row in table.Rows)
            {
                if (row.Role == RowRole.GroupHeading) continue;
                var dims = row.DimensionValues;
                var administrative = dims.TryGetValue("SOURCE", out var source) && source != "survey";
                for (var c = 0; c < table.Columns.Count; c++)
                {
                    var column = table.Columns[c];
                    if (column.Sdmx is not { } measure) continue;
                    var cell = row.Cells[c];
                    if (cell.Value is null && cell.Flag == CellFlag.None) continue;
                    var key = new List<string>(Dimensions.Count);
                    foreach (var dimension in Dimensions)
                    {
                        key.Add(dimension switch
                        {
                            "FREQ" => "A",
                            "REPORTING_TYPE" => "N",
                            // A row may name its own series (one indicator per row); else the column's series applies.
                            "SERIES" => (dims.TryGetValue("SERIES", out var s) ? s + (measure.RowSeriesSuffix ?? "") : measure.Series) + (administrative ? AdministrativeSuffix : ""),
                            _ => dims.TryGetValue(dimension, out var v) ? v : "_T",
                        });
                    }

                    // A withheld cell never has a value (Cell guarantees it): it is written with an empty OBS_VALUE and its status.
                    var value = cell.Value is { } v0 ? PublishedNumber(v0, column.Style) : "";
                    var (low, high) = Bounds(table, row, column);
                    var where = table.Id + "/" + column.Id;
                    var fields = new List<string> { dataflow };
                    fields.AddRange(key);
                    fields.Add(timePeriod);
                    fields.Add(value);
                    fields.Add(dims.TryGetValue("UNIT_MEASURE", out var unit) ? unit : measure.UnitMeasure);
                    fields.Add((measure.UnitMultiplier + column.Style.Scale).ToString(CultureInfo.InvariantCulture));
                    fields.Add(ObservationStatus(cell.Flag));
                    fields.Add(dims.TryGetValue("NATURE", out var nature) ? nature : measure.Nature);
                    fields.Add(sourceColumn >= 0 ? row.Cells[sourceColumn].Text ?? "" : "");
                    fields.Add(cell.Value is null ? "" : low);
                    fields.Add(cell.Value is null ? "" : high);
                    fields.Add(cell.Flag == CellFlag.None ? where : where + " " + cell.Flag.Symbol());
                    var observation = new Observation(key, fields);
                    var keyText = string.Join('\u001f', key);
                    if (seen.TryGetValue(keyText, out var first))
                    {
                        // The same figure in two tables is one observation; anything else would make the file unloadable.
                        if (first.Observation.Fields[Header.Count - Attributes.Count - 1] == value &&
                            first.Observation.Fields[Header.IndexOf("OBS_STATUS")] == fields[Header.IndexOf("OBS_STATUS")])
                            continue;
                        throw new InvalidOperationException(
                            $"SDMX series key {string.Join('.', key)} is given by {first.Where} ({first.Observation.Fields[Header.Count - Attributes.Count - 1]}) and by {where} ({value}); " +
                            "each key must be unique (methodology/sdmx-series.md).");
                    }

                    seen[keyText] = (observation, where);
                    result.Add(observation);
                }
            }
        }

        return result;
    }

    /// <summary>Renders the SDMX-CSV text of an annex for one reference year.</summary>
    /// <param name="annex">The annex.</param>
    /// <param name="timePeriod">The <c>TIME_PERIOD</c> (e.g. <c>2023</c>).</param>
    /// <param name="dataflow">The <c>DATAFLOW</c> value, <c>AGENCY:ID(VERSION)</c>.</param>
    /// <exception cref="InvalidOperationException">Two different figures map to the same series key.</exception>
    public static string Render(Annex annex, string timePeriod, string dataflow = DefaultDataflow)
    {
        ArgumentNullException.ThrowIfNull(annex);
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        CsvText.WriteRecord(writer, Header);
        foreach (var observation in Observations(annex, timePeriod, dataflow))
            CsvText.WriteRecord(writer, observation.Fields.Select(CsvText.Text));
        return writer.ToString();
    }

    /// <summary>Writes the SDMX-CSV file atomically.</summary>
    public static void WriteFile(Annex annex, string path, string timePeriod, string dataflow = DefaultDataflow) =>
        AtomicFile.WriteAllText(path, Render(annex, timePeriod, dataflow));

    /// <summary>
    /// The published interval of a measure cell: the table's <c>{id}_ci_low</c>/<c>{id}_ci_high</c> (or
    /// <c>{id}_low</c>/<c>{id}_high</c>) precision columns at the measure's precision; empty when the table publishes none.
    /// </summary>
    private static (string Low, string High) Bounds(ReportTable table, ReportRow row, ReportColumn column)
    {
        string Find(params string[] ids)
        {
            foreach (var id in ids)
            {
                var i = IndexOf(table, id);
                if (i >= 0 && table.Columns[i].Kind == ColumnKind.Precision && row.Cells[i].Value is { } v) return PublishedNumber(v, column.Style);
            }

            return "";
        }

        return (Find(column.Id + "_ci_low", column.Id + "_low"), Find(column.Id + "_ci_high", column.Id + "_high"));
    }

    private static int IndexOf(ReportTable table, string id)
    {
        for (var i = 0; i < table.Columns.Count; i++)
            if (table.Columns[i].Id == id) return i;
        return -1;
    }

    private static int IndexOf(this IReadOnlyList<string> list, string item)
    {
        for (var i = 0; i < list.Count; i++)
            if (list[i] == item) return i;
        return -1;
    }
}
