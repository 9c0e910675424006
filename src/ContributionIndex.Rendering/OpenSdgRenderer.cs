using System.Globalization;
using ContributionIndex.IO;
using ContributionIndex.Reporting;

namespace ContributionIndex.Rendering;

/// <summary>
/// Writes the annex's published series as the input files of an Open SDG national reporting platform (open-sdg and
/// sdg-build): one data file <c>data/indicator_{id}.csv</c> (<c>Year</c>, <c>Series</c>, <c>Units</c>, the
/// disaggregation columns, <c>Value</c>; an empty disaggregation is the headline) and one metadata file
/// <c>meta/{id}.md</c> (YAML front matter) per indicator. Indicators are national indicators under target 17.17, ids
/// <c>17-17-v1</c> … (methodology/open-sdg.md). Withheld cells are never written.
/// </summary>
public static class OpenSdgRenderer
{
    /// <summary>The goal and target the volunteer indicators are national indicators of (id prefix <c>17-17-</c>).</summary>
    public const string TargetId = "17.17";

    /// <summary>
    /// The fixed Open SDG indicator number of each SDMX series (methodology/open-sdg.md): the same series has the same
    /// indicator id in every study and language. <c>VOL_IND</c> stands for all T5 indicator series (one Open SDG
    /// indicator, one <c>Series</c> value per indicator).
    /// </summary>
    public static IReadOnlyList<(string Series, int Number)> Indicators { get; } =
    [
        ("VOL_NUM", 1), ("VOL_RATE", 2), ("VOL_HRS", 3), ("VOL_HRS_PV", 4), ("VOL_FTE", 5), ("VOL_VAL_LCU", 6),
        ("VOL_VAL_USD", 7), ("VOL_VAL_PPP", 8), ("VOL_VAL_GDP", 9), ("VOL_IND", 10), ("VOL_IDX", 11), ("VOL_IDX_RANK", 12),
    ];

    /// <summary>The Open SDG id of an indicator number: <c>17-17-v1</c>.</summary>
    public static string IndicatorId(int number) => "17-17-v" + number.ToString(CultureInfo.InvariantCulture);

    /// <summary>Table dimension columns that are not disaggregations: they become <c>Series</c>, <c>Units</c> or the country column.</summary>
    private static readonly HashSet<string> SpecialColumns = new(StringComparer.Ordinal) { "country", "source", "currency", "unit", "indicator", "breakdown", "category" };

    private sealed class Indicator(int number, string series, string name, ReportTable table)
    {
        public int Number { get; } = number;
        public string Series { get; } = series;
        public string Name { get; } = name;
        public ReportTable Table { get; } = table;
        public List<string> Columns { get; } = [];
        public List<Dictionary<string, string>> Rows { get; } = [];
        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Units { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>The files as text, by path relative to the output folder (<c>data/indicator_17-17-v1.csv</c>, <c>meta/17-17-v1.md</c>), in id order.</summary>
    public static IReadOnlyList<(string Path, string Text)> Render(Annex annex)
    {
        ArgumentNullException.ThrowIfNull(annex);
        var l = annex.Language;
        var year = annex.Cover.ReferencePeriod;
        var surveyLabel = l.Has("source.survey") ? l.Text("source.survey") : "";
        var indicators = new SortedDictionary<int, Indicator>();
        foreach (var table in annex.Tables)
        {
            int Col(string id)
            {
                for (var i = 0; i < table.Columns.Count; i++)
                    if (table.Columns[i].Id == id) return i;
                return -1;
            }

            int country = Col("country"), source = Col("source"), currency = Col("currency"), unit = Col("unit"),
                indicatorColumn = Col("indicator"), breakdown = Col("breakdown"), category = Col("category");
            foreach (var row in table.Rows)
            {
                if (row.Role == RowRole.GroupHeading) continue;
                var dims = row.DimensionValues;
                for (var c = 0; c < table.Columns.Count; c++)
                {
                    var column = table.Columns[c];
                    if (column.Sdmx is not { } measure) continue;
                    // Withheld cells ([c], [x], [z]) are never written: Open SDG has no flag column to explain an empty value.
                    if (row.Cells[c].Value is not { } value) continue;
                    var series = dims.ContainsKey("SERIES") ? "VOL_IND" : measure.Series;
                    var number = Indicators.FirstOrDefault(i => i.Series == series).Number;
                    if (number == 0) continue;
                    if (!indicators.TryGetValue(number, out var indicator))
                        indicators[number] = indicator = new Indicator(number, series, series == "VOL_IND" ? table.Title : column.Heading, table);

                    var record = new Dictionary<string, string>(StringComparer.Ordinal);
                    string Text(int i) => i >= 0 ? row.Cells[i].Text ?? "" : "";
                    // Series: the source (survey or platform hour log: not comparable), or the indicator of T5.
                    record["Series"] = indicatorColumn >= 0 ? Text(indicatorColumn) : source >= 0 ? Text(source) : surveyLabel;
                    record["Units"] = unit >= 0 ? Text(unit)
                        : currency >= 0 && measure.UnitMeasure == "CUR_LCU" ? column.Heading + ", " + Text(currency)
                        : column.Heading;
                    // The country of a multi-country annex; the pooled area (not an M49 number) is the headline.
                    if (country >= 0 && dims.TryGetValue("REF_AREA", out var area) && !area.All(char.IsAsciiDigit))
                        record[table.Columns[country].Heading] = "";
                    else if (country >= 0)
                        record[table.Columns[country].Heading] = Text(country);
                    if (row.Role != RowRole.Total)
                    {
                        if (breakdown >= 0 && category >= 0 && Text(breakdown).Length > 0) record[Text(breakdown)] = Text(category);
                        for (var d = 0; d < table.Columns.Count; d++)
                        {
                            if (table.Columns[d].Kind == ColumnKind.Dimension && !SpecialColumns.Contains(table.Columns[d].Id))
                                record[table.Columns[d].Heading] = Text(d);
                        }
                    }

                    record["Value"] = SdmxCsvRenderer.PublishedNumber(value, column.Style);
                    foreach (var key in record.Keys)
                        if (key is not ("Series" or "Units" or "Value") && !indicator.Columns.Contains(key)) indicator.Columns.Add(key);
                    indicator.Units.Add(record["Units"]);
                    indicator.Rows.Add(record);
                }
            }
        }

        var files = new List<(string, string)>();
        foreach (var indicator in indicators.Values)
        {
            var id = IndicatorId(indicator.Number);
            // A country's column is dropped when it never varies (a one-country annex): the country is the platform's.
            var columns = indicator.Columns.Where(c => indicator.Rows.Select(r => r.GetValueOrDefault(c, "")).Distinct(StringComparer.Ordinal).Count() > 1).ToList();
            var header = new List<string> { "Year", "Series", "Units" };
            header.AddRange(columns);
            header.Add("Value");
            using var writer = new StringWriter(CultureInfo.InvariantCulture);
            CsvText.WriteRecord(writer, header.Select(CsvText.Text));
            var written = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in indicator.Rows)
            {
                var fields = new List<string> { year, row["Series"], row["Units"] };
                fields.AddRange(columns.Select(c => row.GetValueOrDefault(c, "")));
                // The same figure in two tables (T4's total hours are T2's) is one data row.
                if (!written.Add(string.Join('\u001f', fields))) continue;
                fields.Add(row["Value"]);
                CsvText.WriteRecord(writer, fields.Select(CsvText.Text));
            }

            files.Add(("data/indicator_" + id + ".csv", writer.ToString()));
            files.Add(("meta/" + id + ".md", Metadata(annex, indicator)));
        }

        return files;
    }

    /// <summary>Writes the files under <paramref name="directory"/> (<c>data/</c>, <c>meta/</c>), each atomically, and returns their paths.</summary>
    public static IReadOnlyList<string> WriteFiles(Annex annex, string directory)
    {
        var paths = new List<string>();
        foreach (var (relative, text) in Render(annex))
        {
            var path = Path.Combine(directory, relative.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            AtomicFile.WriteAllText(path, text);
            paths.Add(path);
        }

        return paths;
    }

    private static string Metadata(Annex annex, Indicator indicator)
    {
        var table = indicator.Table;
        var fields = new List<(string Key, object Value)>
        {
            ("indicator_number", TargetId + ".v" + indicator.Number.ToString(CultureInfo.InvariantCulture)),
            ("indicator_name", indicator.Name),
            ("indicator_sort_order", "17-17-v" + indicator.Number.ToString("00", CultureInfo.InvariantCulture)),
            ("sdg_goal", "17"),
            ("target_id", TargetId),
            ("national_indicator_available", indicator.Name),
            ("reporting_status", "complete"),
            ("published", true),
            ("data_non_statistical", false),
            ("graph_type", "bar"),
            ("graph_title", table.Title),
            ("computation_units", string.Join("; ", indicator.Units.Order(StringComparer.Ordinal))),
            ("data_footnote", string.Join(" ", table.Notes.Select(n => n.Text))),
            ("source_active_1", true),
            ("source_organisation_1", annex.Cover.Producer),
            ("source_data_source_1", table.Source),
            ("source_release_date_1", annex.Cover.ReleaseDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("sdmx_series", indicator.Series),
            ("language", annex.Language.Code),
        };
        // One key at a time keeps the documented order; YamlDotNet quotes what would otherwise read as a number or bool.
        var yaml = new YamlDotNet.Serialization.SerializerBuilder().WithQuotingNecessaryStrings().Build();
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        writer.Write("---\n");
        foreach (var (key, value) in fields)
        {
            var one = yaml.Serialize(new Dictionary<string, object> { [key] = value }).Replace("\r\n", "\n", StringComparison.Ordinal);
            writer.Write(one);
        }

        writer.Write("---\n");
        return writer.ToString();
    }
}
