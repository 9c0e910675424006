using ClosedXML.Excel;
using ContributionIndex.IO;
using ContributionIndex.Reporting;

namespace ContributionIndex.Rendering;

/// <summary>
/// Writes an annex as an Excel workbook following the UK Analysis Function spreadsheet guidance: Cover, Contents,
/// Notes and Methodology sheets, then one table per sheet with a single header row, numbers stored as numbers with
/// number formats, flags in their own columns, no merged cells, explicit column widths and frozen header rows.
/// </summary>
/// <remarks>
/// Every text from the study or the input is written with the text data type, so a label such as <c>=cmd</c> stays
/// text and never becomes a formula. Workbook properties take the release date of the study, never the clock.
/// Column widths are set explicitly: ClosedXML's AdjustToContents needs System.Drawing fonts and is slow.
/// Every sheet prints on A4 landscape, fitted to one page wide, with its header rows repeated on every page and the
/// sheet name and page number in the footer; the cover prints on one page.
/// </remarks>
public static class ExcelRenderer
{
    private const double LabelWidth = 46;
    private const double NumberWidth = 15;
    private const double FlagWidth = 9;

    /// <summary>Sheet name of the cover.</summary>
    public static string CoverSheetName(ReportLanguage language) => SheetName(language.Text("sheet.cover"));

    /// <summary>Writes the workbook to <paramref name="path"/> atomically.</summary>
    public static void WriteFile(Annex annex, string path, string softwareVersion)
    {
        ArgumentNullException.ThrowIfNull(annex);
        AtomicFile.WriteAllBytes(path, Render(annex, softwareVersion));
    }

    /// <summary>Renders the workbook as reproducible bytes (same annex, same bytes).</summary>
    public static byte[] Render(Annex annex, string softwareVersion)
    {
        ArgumentNullException.ThrowIfNull(annex);
        using var workbook = Build(annex, softwareVersion);
        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        return ReproducibleZip.Rewrite(stream.ToArray(), annex.Cover.ReleaseDate);
    }

    /// <summary>Builds the workbook in memory (the caller disposes it).</summary>
    public static XLWorkbook Build(Annex annex, string softwareVersion)
    {
        ArgumentNullException.ThrowIfNull(annex);
        var lang = annex.Language;
        var workbook = new XLWorkbook();
        var date = annex.Cover.ReleaseDate.UtcDateTime;
        workbook.Properties.Created = date;
        workbook.Properties.Modified = date;
        workbook.Properties.Author = annex.Cover.Producer;
        workbook.Properties.LastModifiedBy = annex.Cover.Producer;
        workbook.Properties.Title = annex.Cover.Title;
        workbook.Properties.Subject = annex.Cover.Subtitle;
        workbook.Properties.Company = "";
        workbook.Properties.Manager = "";
        workbook.Properties.Comments = lang.Format("annex.producer", softwareVersion);

        AddCover(workbook, annex, softwareVersion);
        AddContents(workbook, annex);
        AddNotes(workbook, annex);
        AddMetadata(workbook, annex);
        foreach (var table in annex.Tables) AddTable(workbook, table, lang);
        if (annex.Charts.Count > 0) AddChartData(workbook, annex);
        // A draft says so on every printed page (methodology/reporting.md, "Cover").
        if (annex.Cover.DraftMark is { } draft)
            foreach (var sheet in workbook.Worksheets) sheet.PageSetup.Header.Center.AddText(draft);
        workbook.Worksheet(1).SetTabActive();
        return workbook;
    }

    /// <summary>
    /// Print setup of a sheet: A4 landscape, one page wide (as many tall as needed, or one page when
    /// <paramref name="onePage"/>), rows 1 to <paramref name="repeatRows"/> repeated at the top of every page (none when 0),
    /// the sheet name and page number in the footer. The print area is the first <paramref name="columns"/> columns
    /// of the used rows: a long title or source line running on to the right must not widen the page (and shrink the print).
    /// </summary>
    internal static void PrintSetup(IXLWorksheet ws, int columns, int repeatRows, bool onePage = false)
    {
        var page = ws.PageSetup;
        var lastRow = ws.LastRowUsed()?.RowNumber() ?? 1;
        page.PrintAreas.Clear();
        page.PrintAreas.Add(1, 1, lastRow, columns);
        page.PaperSize = XLPaperSize.A4Paper;
        page.PageOrientation = XLPageOrientation.Landscape;
        page.FitToPages(1, onePage ? 1 : 0);
        page.Margins.Left = 0.5;
        page.Margins.Right = 0.5;
        page.Margins.Top = 0.6;
        page.Margins.Bottom = 0.6;
        if (repeatRows > 0) page.SetRowsToRepeatAtTop(1, repeatRows);
        page.Footer.Left.AddText("&A");
        page.Footer.Right.AddText("&P / &N");
    }

    /// <summary>The height of one line of 11 pt text, in points.</summary>
    internal const double LineHeight = 15;

    /// <summary>
    /// How many lines <paramref name="text"/> takes in a wrapping cell <paramref name="width"/> characters wide: a
    /// greedy word wrap on character counts, a tenth wider than the text for letters wider than the digit the width
    /// is measured in (Cyrillic capitals), so that the row is rather a little too tall than cut off.
    /// </summary>
    internal static int WrappedLines(string text, double width)
    {
        var perLine = Math.Max(1, (width - 1) / 1.1);
        var lines = 0;
        foreach (var paragraph in text.Split('\n'))
        {
            lines++;
            var current = 0;
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (current > 0 && current + 1 + word.Length > perLine)
                {
                    lines++;
                    current = 0;
                }

                current += (current > 0 ? 1 : 0) + word.Length;
                while (current > perLine)
                {
                    lines++;
                    current -= (int)perLine;
                }
            }
        }

        return Math.Max(1, lines);
    }

    /// <summary>The column width (characters) that holds the longest word of <paramref name="heading"/> on one line, as <see cref="WrappedLines"/> counts.</summary>
    internal static double LongestWordWidth(string heading) =>
        Math.Ceiling(heading.Split(' ').Max(w => w.Length) * 1.1) + 1;

    /// <summary>
    /// The width of a label column in characters: its longest text (a heading by its longest word, as headings wrap),
    /// plus a little, between 10 and <see cref="LabelWidth"/>; longer texts wrap.
    /// </summary>
    internal static double LabelColumnWidth(string heading, IEnumerable<string> texts)
    {
        var longest = texts.Select(t => t.Length).Append(heading.Split(' ').Max(w => w.Length)).Max();
        return Math.Clamp(Math.Ceiling(longest * 1.1) + 2, 10, LabelWidth);
    }

    /// <summary>The sheet name of a table (its id; Excel allows 31 characters without <c>[]:*?/\</c>).</summary>
    public static string TableSheetName(ReportTable table) => SheetName(table.Id);

    private static string SheetName(string name)
    {
        var cleaned = new string(name.Select(ch => ch is '[' or ']' or ':' or '*' or '?' or '/' or '\\' ? '_' : ch).ToArray());
        return cleaned.Length > 31 ? cleaned[..31] : cleaned;
    }

    /// <summary>Writes text as text: never parsed as a number, date or formula; cut visibly to fit a cell (<see cref="FitCell"/>).</summary>
    internal static void SetText(IXLCell cell, string text)
    {
        cell.SetValue(FitCell(text));
        cell.DataType = XLDataType.Text;
    }

    /// <summary>The most characters Excel holds in a cell (a longer text used to crash the writer).</summary>
    internal const int MaxCellChars = 32_767;

    /// <summary>
    /// <paramref name="text"/> when it fits a cell, else its start followed by <c>…[+N]</c>, N the characters cut, so a
    /// cut is never silent (hardening.md §1). Study texts are limited far below this (InputLimits.MaxLabelChars); the
    /// cut guards texts that come from data.
    /// </summary>
    internal static string FitCell(string text)
    {
        if (text.Length <= MaxCellChars) return text;
        var keep = MaxCellChars - 20; // room for the marker
        if (char.IsHighSurrogate(text[keep - 1])) keep--;
        return text[..keep] + "…[+" + (text.Length - keep).ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
    }

    private static void AddCover(XLWorkbook workbook, Annex annex, string softwareVersion)
    {
        var lang = annex.Language;
        var ws = workbook.Worksheets.Add(CoverSheetName(lang));
        ws.Column(1).Width = 30;
        ws.Column(2).Width = 90;
        SetText(ws.Cell(1, 1), annex.Cover.Title);
        ws.Cell(1, 1).Style.Font.Bold = true;
        ws.Cell(1, 1).Style.Font.FontSize = 14;
        SetText(ws.Cell(2, 1), annex.Cover.Subtitle);
        var row = 4;
        void Line(string key, string value)
        {
            SetText(ws.Cell(row, 1), lang.Text(key));
            SetText(ws.Cell(row, 2), value);
            row++;
        }

        Line("cover.study", annex.Cover.StudyId);
        Line("cover.reference_period", annex.Cover.ReferencePeriod);
        Line("cover.release_date", annex.Cover.ReleaseDateText ?? lang.FormatDate(DateOnly.FromDateTime(annex.Cover.ReleaseDate.UtcDateTime)));
        Line("cover.producer", annex.Cover.Producer);
        if (annex.Cover.Contact is { } contact) Line("cover.contact", contact);
        Line("cover.language", lang.Text("cover.language_name"));
        if (annex.Cover.DraftMark is { } mark)
        {
            SetText(ws.Cell(3, 1), mark);
            ws.Cell(3, 1).Style.Font.Bold = true;
            ws.Cell(3, 1).Style.Font.FontColor = XLColor.Red;
            SetText(ws.Cell(row, 1), lang.Text("cover.draft_heading"));
            SetText(ws.Cell(row, 2), string.Join("; ", annex.Cover.DraftReasons) + ".");
            row++;
        }
        SetText(ws.Cell(row, 1), lang.Format("annex.producer", softwareVersion));
        row += 2;
        SetText(ws.Cell(row, 1), lang.Text("cover.contents_hint"));
        row += 2;
        SetText(ws.Cell(row, 1), lang.Text("flags.heading"));
        ws.Cell(row, 1).Style.Font.Bold = true;
        row++;
        foreach (var flag in CellFlags.Published)
        {
            SetText(ws.Cell(row, 1), flag.Symbol());
            SetText(ws.Cell(row, 2), lang.Text(flag.LegendKey()));
            ws.Cell(row, 2).Style.Alignment.WrapText = true;
            var lines = WrappedLines(lang.Text(flag.LegendKey()), 90);
            if (lines > 1) ws.Row(row).Height = LineHeight * lines;
            row++;
        }

        PrintSetup(ws, 2, 0, onePage: true);
    }

    private static void AddContents(XLWorkbook workbook, Annex annex) =>
        AddListSheet(workbook, annex.Language, "sheet.contents", "contents.heading",
            [new("contents.item", 14), new("contents.title", 120)],
            annex.Tables.Select(table => new ListRow([TableSheetName(table), table.Title], $"'{TableSheetName(table)}'!A1")));

    private static void AddNotes(XLWorkbook workbook, Annex annex) =>
        AddListSheet(workbook, annex.Language, "sheet.notes", "notes.heading",
            [new("notes.table", 10), new("notes.number", 14), new("notes.text", 110, Wrap: true)],
            annex.Tables.SelectMany(table => table.Notes.Select(note => new ListRow([
                table.Id,
                annex.Language.Format("notes.reference", note.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                note.Text]))));

    private static void AddMetadata(XLWorkbook workbook, Annex annex) =>
        AddListSheet(workbook, annex.Language, "sheet.metadata", "metadata.heading",
            [new("metadata.section", 26), new("metadata.key", 50), new("metadata.value", 90, Wrap: true)],
            annex.Metadata.Select(entry => new ListRow([entry.Section, entry.Key, entry.Value])));

    /// <summary>A column of a list sheet: the text key of its label, its width, whether its cells wrap.</summary>
    private readonly record struct ListColumn(string LabelKey, double Width, bool Wrap = false);

    /// <summary>A row of a list sheet: its texts and, when set, a hyperlink on its first cell.</summary>
    private readonly record struct ListRow(string[] Cells, string? Link = null);

    /// <summary>
    /// Adds a list sheet (contents, notes, metadata): the heading in A1, the column labels in row 2 (bold, frozen),
    /// one row per item from row 3, explicit column widths. Sheet name and heading are text keys of the language.
    /// </summary>
    private static void AddListSheet(
        XLWorkbook workbook, ReportLanguage lang, string sheetKey, string headingKey, ListColumn[] columns, IEnumerable<ListRow> rows)
    {
        var ws = workbook.Worksheets.Add(SheetName(lang.Text(sheetKey)));
        SetText(ws.Cell(1, 1), lang.Text(headingKey));
        ws.Cell(1, 1).Style.Font.Bold = true;
        ws.Cell(1, 1).Style.Font.FontSize = 14;
        for (var c = 0; c < columns.Length; c++) SetText(ws.Cell(2, c + 1), lang.Text(columns[c].LabelKey));
        ws.Row(2).Style.Font.Bold = true;
        var row = 3;
        foreach (var listRow in rows)
        {
            var lines = 1;
            for (var c = 0; c < columns.Length; c++)
            {
                var cell = ws.Cell(row, c + 1);
                SetText(cell, listRow.Cells[c]);
                if (c == 0 && listRow.Link is { } link) cell.Hyperlink = new XLHyperlink(link);
                if (columns[c].Wrap)
                {
                    cell.Style.Alignment.WrapText = true;
                    cell.Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
                    lines = Math.Max(lines, WrappedLines(listRow.Cells[c], columns[c].Width));
                }
            }

            // Row heights are set, not left to the reader: LibreOffice does not grow rows for wrapped text on opening.
            if (lines > 1) ws.Row(row).Height = LineHeight * lines;

            row++;
        }

        for (var c = 0; c < columns.Length; c++) ws.Column(c + 1).Width = columns[c].Width;
        ws.SheetView.FreezeRows(2);
        PrintSetup(ws, columns.Length, 2);
    }

    /// <summary>The spreadsheet layout of a table: value columns, a flag column after each flagged numeric column, a notes column when any cell has notes.</summary>
    internal sealed record SheetColumn(int SourceColumn, bool IsFlag, bool IsNotes, string Heading);

    internal static IReadOnlyList<SheetColumn> Layout(ReportTable table, ReportLanguage lang)
    {
        var columns = new List<SheetColumn>();
        var dataRows = table.Rows.Where(r => r.Role != RowRole.GroupHeading).ToArray();
        for (var c = 0; c < table.Columns.Count; c++)
        {
            var column = table.Columns[c];
            columns.Add(new SheetColumn(c, false, false, column.Heading));
            if (column.IsNumeric && dataRows.Any(r => r.Cells[c].Flag != CellFlag.None))
                columns.Add(new SheetColumn(c, true, false, lang.Format("column.flag", column.Heading)));
        }

        if (dataRows.Any(r => r.Cells.Any(cell => cell.Notes.Count > 0)))
            columns.Add(new SheetColumn(-1, false, true, lang.Text("notes.heading")));
        return columns;
    }

    /// <summary>The row of the header in a table sheet (rows above hold title, units, source and remarks).</summary>
    internal static int HeaderRow(ReportTable table) => table.TotalsMayNotSum ? 5 : 4;

    private static void AddTable(XLWorkbook workbook, ReportTable table, ReportLanguage lang)
    {
        var ws = workbook.Worksheets.Add(TableSheetName(table));
        SetText(ws.Cell(1, 1), lang.Format("table.label", table.Id) + ". " + table.Title);
        ws.Cell(1, 1).Style.Font.Bold = true;
        ws.Cell(1, 1).Style.Font.FontSize = 13;
        SetText(ws.Cell(2, 1), lang.Format("table.units", table.Units));
        SetText(ws.Cell(3, 1), lang.Format("table.source", table.Source));
        if (table.TotalsMayNotSum) SetText(ws.Cell(4, 1), lang.Text("table.totals_rounding"));

        var layout = Layout(table, lang);
        var headerRow = HeaderRow(table);
        var headerLines = 3;
        for (var i = 0; i < layout.Count; i++)
        {
            var cell = ws.Cell(headerRow, i + 1);
            SetText(cell, layout[i].Heading);
            cell.Style.Font.Bold = true;
            cell.Style.Alignment.WrapText = true;
            cell.Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
            if (layout[i].SourceColumn >= 0 && table.Columns[layout[i].SourceColumn].IsNumeric && !layout[i].IsFlag)
                cell.Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Right;
            cell.Style.Border.BottomBorder = XLBorderStyleValues.Thin;
            var width = layout[i].IsFlag ? FlagWidth
                : layout[i].IsNotes ? 18
                : table.Columns[layout[i].SourceColumn].IsNumeric ? NumberWidth
                : LabelColumnWidth(layout[i].Heading, table.Rows.Where(r => r.Role != RowRole.GroupHeading).Select(r => r.Cells[layout[i].SourceColumn].Text ?? ""));
            // Never narrower than the heading's longest word: a spreadsheet breaks a word that does not fit inside it.
            width = Math.Max(width, LongestWordWidth(layout[i].Heading));
            ws.Column(i + 1).Width = width;
            headerLines = Math.Max(headerLines, WrappedLines(layout[i].Heading, width));
        }

        var row = headerRow + 1;
        foreach (var reportRow in table.Rows)
        {
            // Group headings are a print device; in a sheet every row carries its breakdown in the label columns.
            if (reportRow.Role == RowRole.GroupHeading) continue;
            for (var i = 0; i < layout.Count; i++)
            {
                var target = ws.Cell(row, i + 1);
                var spec = layout[i];
                if (spec.IsNotes)
                {
                    var notes = reportRow.Cells.SelectMany(c => c.Notes).Distinct().Order()
                        .Select(n => lang.Format("notes.reference", n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    var text = string.Join(" ", notes);
                    if (text.Length > 0) SetText(target, text);
                    continue;
                }

                var column = table.Columns[spec.SourceColumn];
                var source = reportRow.Cells[spec.SourceColumn];
                if (spec.IsFlag)
                {
                    if (source.Flag != CellFlag.None) SetText(target, source.Flag.Symbol());
                }
                else if (!column.IsNumeric)
                {
                    SetText(target, source.Text ?? "");
                    if (reportRow.Indent > 0 && i == spec.SourceColumn && IsIndentedColumn(table, i))
                    {
                        target.Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Left;
                        target.Style.Alignment.Indent = reportRow.Indent;
                    }
                }
                else if (source.Value is { } value)
                {
                    target.SetValue(column.Style.Percent ? value : column.Style.Shown(value)); // thousands/millions as the heading says
                    target.DataType = XLDataType.Number;
                    target.Style.NumberFormat.Format = column.Style.ExcelFormat;
                }
                else if (source.Flag != CellFlag.None)
                {
                    // A withheld value: the cell shows the symbol (text), the flag column repeats it for filtering.
                    SetText(target, source.Flag.Symbol());
                    target.Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Right;
                }

                if (reportRow.Role == RowRole.Total) target.Style.Font.Bold = true;
            }

            row++;
        }

        ws.SheetView.FreezeRows(headerRow);
        ws.Row(headerRow).Height = LineHeight * headerLines;
        PrintSetup(ws, layout.Count, headerRow);
    }

    /// <summary>The indented label is the last dimension column (the category inside a breakdown).</summary>
    private static bool IsIndentedColumn(ReportTable table, int column) =>
        column == Enumerable.Range(0, table.Columns.Count).Last(c => !table.Columns[c].IsNumeric);

    private static void AddChartData(XLWorkbook workbook, Annex annex)
    {
        var lang = annex.Language;
        var ws = workbook.Worksheets.Add(SheetName(lang.Text("sheet.charts")));
        string[] headings = ["id", lang.Text("contents.title"), "series", lang.Text("dim.category"), lang.Text("col.value"), "low", "high"];
        for (var i = 0; i < headings.Length; i++)
        {
            SetText(ws.Cell(1, i + 1), headings[i]);
            ws.Cell(1, i + 1).Style.Font.Bold = true;
        }

        var row = 2;
        foreach (var chart in annex.Charts)
        {
            foreach (var series in chart.Series)
            {
                foreach (var point in series.Points)
                {
                    SetText(ws.Cell(row, 1), chart.Id);
                    SetText(ws.Cell(row, 2), chart.Title);
                    SetText(ws.Cell(row, 3), series.Name);
                    SetText(ws.Cell(row, 4), point.Category);
                    ws.Cell(row, 5).SetValue(point.Value);
                    if (point.Low is { } low) ws.Cell(row, 6).SetValue(low);
                    if (point.High is { } high) ws.Cell(row, 7).SetValue(high);
                    for (var c = 5; c <= 7; c++) ws.Cell(row, c).Style.NumberFormat.Format = "#,##0.00";
                    row++;
                }
            }
        }

        ws.Column(1).Width = 8;
        ws.Column(2).Width = 60;
        ws.Column(3).Width = 30;
        ws.Column(4).Width = 40;
        for (var c = 5; c <= 7; c++) ws.Column(c).Width = NumberWidth;
        ws.SheetView.FreezeRows(1);
        PrintSetup(ws, headings.Length, 1);
    }
}
