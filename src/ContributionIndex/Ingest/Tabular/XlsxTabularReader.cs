using System.Globalization;
using System.IO.Compression;
using ClosedXML.Excel;
using ContributionIndex.Diagnostics;

namespace ContributionIndex.Ingest;

/// <summary>
/// Reads one sheet of an XLSX workbook through ClosedXML (which loads the whole workbook; the zip is checked first).
/// The header is the first used row; every cell becomes invariant text: numbers round-trip ("R"), dates ISO 8601.
/// </summary>
internal sealed class XlsxTabularReader : TabularReader
{
    private static readonly string[] ErrorLiterals = ["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!", "#CALC!"];

    private readonly XLWorkbook workbook;
    private readonly IXLWorksheet sheet;
    private readonly int columnCount;
    private readonly Dictionary<(int Row, int Column), string> errorCells;

    public XlsxTabularReader(string filePath, TabularOptions options) : base(filePath, options)
    {
        var path = Path;
        CheckZip(filePath, path, options.MaxXlsxUncompressedBytes);
        try
        {
            workbook = new XLWorkbook(filePath);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InputDataException(SourceLocation.OfFile(path), $"the file cannot be opened as an XLSX workbook ({ex.GetType().Name}: {ex.Message}).",
                "Save it from the spreadsheet program as an Excel workbook (.xlsx), or export the sheet as CSV.", ex);
        }

        try
        {
            sheet = SelectSheet(workbook, options.Sheet, path);
            SheetName = sheet.Name;
            errorCells = XlsxErrorCells.Find(filePath, sheet.Name);
            var firstRow = sheet.FirstRowUsed();
            if (firstRow is null)
            {
                throw new InputDataException(SourceLocation.OfFile(path), $"sheet '{sheet.Name}' is empty.",
                    "Name the sheet that holds the data (sheet: name or 1-based index).");
            }

            HeaderLine = firstRow.RowNumber();
            columnCount = firstRow.LastCellUsed()?.Address.ColumnNumber ?? 0;
            var headers = new string[columnCount];
            for (var c = 1; c <= columnCount; c++)
            {
                var cell = sheet.Cell((int)HeaderLine, c);
                if (cell.HasFormula)
                {
                    throw new InputDataException(Locate(HeaderLine, c), $"header cell {cell.Address} is a formula.",
                        "Replace the header formulas by their values (Paste Special → Values).");
                }

                headers[c - 1] = CellText(cell, out _).Trim();
            }

            Headers = headers;
        }
        catch
        {
            workbook.Dispose();
            throw;
        }
    }

    public override string Format => "xlsx";

    /// <summary>
    /// Refuses a file that is not a zip archive, and one whose entries declare more uncompressed bytes than the cap
    /// (a zip bomb would exhaust memory when the workbook is loaded).
    /// </summary>
    internal static void CheckZip(string filePath, string path, long maxUncompressedBytes)
    {
        try
        {
            using var zip = ZipFile.OpenRead(filePath);
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                total += entry.Length;
                if (total > maxUncompressedBytes)
                {
                    throw new InputDataException(SourceLocation.OfFile(path),
                        string.Create(CultureInfo.InvariantCulture, $"the workbook expands to more than {maxUncompressedBytes / (1024 * 1024)} MiB (entry '{entry.FullName}' brings the total to {total} bytes), which looks like a zip bomb or a very large export."),
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

    private static IXLWorksheet SelectSheet(XLWorkbook workbook, string? wanted, string path)
    {
        var names = string.Join(", ", workbook.Worksheets.Select(w => $"'{w.Name}'"));
        if (string.IsNullOrWhiteSpace(wanted)) return workbook.Worksheet(1);
        var trimmed = wanted.Trim();
        if (workbook.Worksheets.TryGetWorksheet(trimmed, out var byName)) return byName;
        var byNameIgnoringCase = workbook.Worksheets.FirstOrDefault(w => string.Equals(w.Name, trimmed, StringComparison.OrdinalIgnoreCase));
        if (byNameIgnoringCase is not null) return byNameIgnoringCase;
        if (int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            if (index >= 1 && index <= workbook.Worksheets.Count) return workbook.Worksheet(index);
            throw new InputDataException(SourceLocation.OfFile(path),
                string.Create(CultureInfo.InvariantCulture, $"sheet {index} does not exist: the workbook has {workbook.Worksheets.Count} sheets ({names})."),
                "Name an existing sheet by name or 1-based index.");
        }

        throw new InputDataException(SourceLocation.OfFile(path), $"there is no sheet named '{trimmed}'; the sheets are {names}.",
            "Name an existing sheet by name or 1-based index.");
    }

    private protected override IEnumerable<TabularRow> ReadRawRows()
    {
        var errorRows = errorCells.Keys.Select(k => k.Row).ToHashSet();
        var lastRow = Math.Max(sheet.LastRowUsed()?.RowNumber() ?? 0, errorRows.Count == 0 ? 0 : errorRows.Max());
        for (var r = (int)HeaderLine + 1; r <= lastRow; r++)
        {
            var xlRow = sheet.Row(r);
            var lastUsed = xlRow.LastCellUsed()?.Address.ColumnNumber ?? 0;
            if (lastUsed == 0 && !errorRows.Contains(r)) continue;
            var width = Math.Max(columnCount, lastUsed);
            var fields = new string[width];
            var numeric = new bool[width];
            List<TabularProblem>? problems = null;
            for (var c = 1; c <= width; c++)
            {
                var cell = sheet.Cell(r, c);
                if (cell.HasFormula)
                {
                    (problems ??= []).Add(new TabularProblem(c, "cell.formula",
                        $"cell {cell.Address} is a formula (={cell.FormulaA1}), which is not evaluated; replace formulas by their values (Paste Special → Values) before exporting.",
                        "=" + cell.FormulaA1));
                    fields[c - 1] = "";
                    continue;
                }

                var text = CellText(cell, out var isNumber);
                if (errorCells.TryGetValue((r, c), out var error)) text = error;
                if (!isNumber && Array.IndexOf(ErrorLiterals, text.Trim()) >= 0)
                {
                    (problems ??= []).Add(new TabularProblem(c, "cell.error",
                        $"cell {cell.Address} holds the spreadsheet error {text.Trim()}; fix the formula that produced it, or clear the cell if the value is unknown.", text));
                }

                fields[c - 1] = text;
                numeric[c - 1] = isNumber;
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

    /// <summary>Cell value as invariant text: numbers round-trip, dates ISO 8601, booleans true/false.</summary>
    private static string CellText(IXLCell cell, out bool isNumber)
    {
        isNumber = false;
        if (cell.IsEmpty()) return "";
        switch (cell.DataType)
        {
            case XLDataType.Number:
                isNumber = true;
                return cell.GetDouble().ToString("R", CultureInfo.InvariantCulture);
            case XLDataType.Boolean:
                return cell.GetBoolean() ? "true" : "false";
            case XLDataType.DateTime:
                var date = cell.GetDateTime();
                return date.TimeOfDay == TimeSpan.Zero
                    ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                    : date.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
            case XLDataType.TimeSpan:
                return cell.GetTimeSpan().ToString("c", CultureInfo.InvariantCulture);
            default:
                return cell.GetString();
        }
    }

    private protected override void DisposeCore() => workbook.Dispose();
}
