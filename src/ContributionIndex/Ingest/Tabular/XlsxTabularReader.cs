using System.Globalization;
using System.IO.Compression;
using System.Xml;
using ContributionIndex.Diagnostics;

namespace ContributionIndex.Ingest;

/// <summary>
/// Reads one sheet of an XLSX workbook as a stream: the sheet's XML part is read forward with an <see cref="XmlReader"/>,
/// one row at a time, so memory holds the shared-string table, the cell styles and one row, whatever the row count
/// (the zip is checked against the uncompressed-size cap first). The header is the first used row; every cell becomes
/// invariant text: numbers round-trip ("R"), dates ISO 8601, booleans true/false — the values ClosedXML 0.95 gave when it
/// loaded the whole workbook, except that a number in a workbook without a styles part keeps its value (ClosedXML dropped it).
/// </summary>
internal sealed class XlsxTabularReader : TabularReader
{
    private static readonly string[] ErrorLiterals = ["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!", "#CALC!"];

    private readonly ZipArchive zip;
    private readonly XlsxSheetStream sheet;
    private readonly int columnCount;

    public XlsxTabularReader(string filePath, TabularOptions options) : base(filePath, options)
    {
        var path = Path;
        CheckZip(filePath, path, options.MaxXlsxUncompressedBytes);
        zip = ZipFile.OpenRead(filePath);
        try
        {
            XlsxWorkbook workbook;
            try
            {
                workbook = XlsxWorkbook.Read(zip);
            }
            catch (Exception ex) when (ex is XmlException or InvalidDataException or FormatException or OverflowException or IOException)
            {
                throw new InputDataException(SourceLocation.OfFile(path), $"the file cannot be opened as an XLSX workbook ({ex.GetType().Name}: {MessageText.Excerpt(ex.Message)}).",
                    "Save it from the spreadsheet program as an Excel workbook (.xlsx), or export the sheet as CSV.", ex);
            }

            var (name, part) = SelectSheet(workbook, options.Sheet, path);
            SheetName = name;
            sheet = new XlsxSheetStream(zip, part, workbook, path);
            var header = sheet.NextUsedRow()
                ?? throw new InputDataException(SourceLocation.OfFile(path), $"sheet '{name}' is empty.",
                    "Name the sheet that holds the data (sheet: name or 1-based index).");

            HeaderLine = header.Row;
            columnCount = header.LastUsedColumn;
            var headers = new string[columnCount];
            Array.Fill(headers, "");
            foreach (var cell in header.Cells)
            {
                if (cell.Column > columnCount) continue;
                if (cell.Formula is not null)
                {
                    throw new InputDataException(Locate(HeaderLine, cell.Column), $"header cell {CellReference(HeaderLine, cell.Column)} is a formula.",
                        "Replace the header formulas by their values (Paste Special → Values).");
                }

                headers[cell.Column - 1] = cell.Text.Trim();
            }

            Headers = headers;
        }
        catch
        {
            sheet?.Dispose();
            zip.Dispose();
            throw;
        }
    }

    public override string Format => "xlsx";

    /// <summary>
    /// Refuses a file that is not a zip archive, and one whose entries declare more uncompressed bytes than the cap
    /// (a zip bomb; the shared strings, which are held in memory, are within the cap).
    /// </summary>
    internal static void CheckZip(string filePath, string path, long maxUncompressedBytes)
    {
        try
        {
            using var archive = ZipFile.OpenRead(filePath);
            long total = 0;
            foreach (var entry in archive.Entries)
            {
                total += entry.Length;
                if (total > maxUncompressedBytes)
                {
                    throw new InputDataException(SourceLocation.OfFile(path),
                        string.Create(CultureInfo.InvariantCulture, $"the workbook expands to more than {maxUncompressedBytes / (1024 * 1024)} MiB (entry '{MessageText.Escape(entry.FullName)}' brings the total to {total} bytes), which looks like a zip bomb or a very large export."),
                        "Export the sheet as CSV, which is read as a stream, or raise the limit if the workbook is genuine.");
                }
            }
        }
        catch (InvalidDataException ex)
        {
            throw new InputDataException(SourceLocation.OfFile(path), "the file is not an XLSX workbook (it is not a valid zip archive).",
                "Check the file; a CSV file should be named .csv or declared with format: csv.", ex);
        }
    }

    private static (string Name, string Part) SelectSheet(XlsxWorkbook workbook, string? wanted, string path)
    {
        var sheets = workbook.Sheets;
        if (sheets.Count == 0)
            throw new InputDataException(SourceLocation.OfFile(path), "the workbook has no sheets.", "Save the data in a worksheet, or export the sheet as CSV.");
        var names = string.Join(", ", sheets.Select(w => $"'{w.Name}'"));
        if (string.IsNullOrWhiteSpace(wanted)) return sheets[0];
        var trimmed = wanted.Trim();
        foreach (var comparison in new[] { StringComparison.Ordinal, StringComparison.OrdinalIgnoreCase })
        {
            foreach (var candidate in sheets)
                if (string.Equals(candidate.Name, trimmed, comparison)) return candidate;
        }

        if (int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            if (index >= 1 && index <= sheets.Count) return sheets[index - 1];
            throw new InputDataException(SourceLocation.OfFile(path),
                string.Create(CultureInfo.InvariantCulture, $"sheet {index} does not exist: the workbook has {sheets.Count} sheets ({names})."),
                "Name an existing sheet by name or 1-based index.");
        }

        throw new InputDataException(SourceLocation.OfFile(path), $"there is no sheet named '{trimmed}'; the sheets are {names}.",
            "Name an existing sheet by name or 1-based index.");
    }

    private protected override IEnumerable<TabularRow> ReadRawRows()
    {
        while (sheet.NextUsedRow() is { } row)
        {
            var r = row.Row;
            var lastUsed = row.LastUsedColumn;
            var width = Math.Max(columnCount, lastUsed);
            var fields = new string[width];
            Array.Fill(fields, "");
            var numeric = new bool[width];
            List<TabularProblem>? problems = null;
            foreach (var cell in row.Cells)
            {
                var c = cell.Column;
                if (c > width) continue;
                if (cell.Formula is { } formula)
                {
                    (problems ??= []).Add(new TabularProblem(c, "cell.formula",
                        $"cell {CellReference(r, c)} is a formula (={MessageText.Excerpt(formula)}), which is not evaluated; replace formulas by their values (Paste Special → Values) before exporting.",
                        "=" + formula));
                    continue;
                }

                var text = cell.Text;
                if (cell.IsError || (!cell.IsNumber && Array.IndexOf(ErrorLiterals, text.Trim()) >= 0))
                {
                    (problems ??= []).Add(new TabularProblem(c, "cell.error",
                        $"cell {CellReference(r, c)} holds the spreadsheet error {MessageText.Excerpt(text.Trim())}; fix the formula that produced it, or clear the cell if the value is unknown.", text));
                }

                fields[c - 1] = text;
                numeric[c - 1] = cell.IsNumber;
            }

            if (lastUsed > columnCount)
            {
                (problems ??= []).Add(new TabularProblem(columnCount + 1, "row.ragged",
                    $"cell {CellReference(r, columnCount + 1)} has a value but its column has no header.",
                    fields[columnCount]));
            }

            yield return CreateRow(r, fields, problems is null ? [] : problems, numeric);
        }
    }

    private protected override void DisposeCore()
    {
        sheet.Dispose();
        zip.Dispose();
    }
}
