using ContributionIndex.IO;
using ContributionIndex.Reporting;

namespace ContributionIndex.Rendering;

/// <summary>
/// Writes each table as a tidy CSV: one record per numeric cell with the row's dimension labels, the measure id, the
/// value (invariant culture, round-trip precision; empty when withheld), the flag letter, the unit and note numbers.
/// </summary>
/// <remarks>
/// Files start with a UTF-8 byte order mark, in every language: they are meant to be opened in a spreadsheet, and
/// Excel on Windows reads a CSV without one in the system code page (Kazakh and Russian labels become mojibake).
/// </remarks>
public static class TidyCsvRenderer
{
    /// <summary>The fixed leading columns of every file.</summary>
    public static IReadOnlyList<string> LeadingColumns { get; } = ["table_id", "row"];

    /// <summary>The fixed trailing columns of every file.</summary>
    public static IReadOnlyList<string> TrailingColumns { get; } = ["measure", "value", "flag", "unit", "notes"];

    /// <summary>Renders one table as CSV text.</summary>
    public static string Render(ReportTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        Write(table, writer);
        return writer.ToString();
    }

    /// <summary>Writes one table as CSV.</summary>
    public static void Write(ReportTable table, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(writer);
        var dimensionIndexes = Enumerable.Range(0, table.Columns.Count).Where(i => !table.Columns[i].IsNumeric).ToArray();
        var header = LeadingColumns.Concat(dimensionIndexes.Select(i => table.Columns[i].Id)).Concat(TrailingColumns);
        CsvText.WriteRecord(writer, header.Select(CsvText.Text));
        var rowNumber = 0;
        foreach (var row in table.Rows)
        {
            if (row.Role == RowRole.GroupHeading) continue;
            rowNumber++;
            var labels = dimensionIndexes.Select(i => CsvText.Text(row.Cells[i].Text ?? "")).ToArray();
            var labelNotes = dimensionIndexes.SelectMany(i => row.Cells[i].Notes).ToArray();
            for (var c = 0; c < table.Columns.Count; c++)
            {
                var column = table.Columns[c];
                if (!column.IsNumeric) continue;
                var cell = row.Cells[c];
                if (cell.Value is null && cell.Flag == CellFlag.None) continue; // an empty cell is not an observation
                var fields = new List<string>
                {
                    CsvText.Text(table.Id),
                    rowNumber.ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
                fields.AddRange(labels);
                fields.Add(CsvText.Text(column.Id));
                // A column in thousands or millions gives its values in that unit (unit code with _E3/_E6), as every renderer shows them.
                fields.Add(CsvText.Number(cell.Value is { } v && !column.Style.Percent ? column.Style.Shown(v) : cell.Value));
                fields.Add(cell.Flag.Letter());
                fields.Add(CsvText.Text(column.Style.Scale == 0 || column.Unit is null ? column.Unit ?? "" : column.Unit + "_E" + column.Style.Scale.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                fields.Add(string.Join(' ', cell.Notes.Concat(labelNotes).Distinct().Order().Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))));
                CsvText.WriteRecord(writer, fields);
            }
        }
    }

    /// <summary>Writes one file per table into <paramref name="directory"/> (<c>{prefix}{table id}.csv</c>), atomically; returns the paths.</summary>
    public static IReadOnlyList<string> WriteFiles(Annex annex, string directory, string prefix)
    {
        ArgumentNullException.ThrowIfNull(annex);
        var paths = new List<string>();
        foreach (var table in annex.Tables)
        {
            var path = Path.Combine(directory, prefix + table.Id + ".csv");
            AtomicFile.WriteAllText(path, Render(table), AtomicFile.Utf8WithByteOrderMark);
            paths.Add(path);
        }

        return paths;
    }
}
