using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ContributionIndex.IO;
using ContributionIndex.Reporting;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace ContributionIndex.Rendering.Pdf;

/// <summary>
/// Writes an annex as an A4 PDF with PDFsharp 6: title page, contents, each table with its header repeated on every
/// page (wide tables in landscape), wrapped labels, right-aligned numbers with their flags, notes and source under
/// the table, ScottPlot charts as high-resolution PNG images, and the methodology pages. Fonts are embedded as subsets.
/// </summary>
/// <remarks>
/// Output is reproducible: creation and modification dates are the study's release date and the file identifier is
/// a hash of the study id and language, so two runs on the same inputs give the same bytes.
/// </remarks>
public static partial class PdfRenderer
{
    private const double Margin = 42;
    private const double FooterHeight = 22;
    private const double BodySize = 8;
    private const double HeaderSize = 7.5;
    private const double MinHeaderSize = 5.5;
    private const double CellPadX = 3;
    private const double CellPadY = 2.2;

    /// <summary>Writes the PDF to <paramref name="path"/> atomically.</summary>
    /// <exception cref="FontNotFoundException">No suitable font is installed.</exception>
    public static void WriteFile(Annex annex, string path, string softwareVersion) =>
        AtomicFile.WriteAllBytes(path, Render(annex, softwareVersion));

    /// <summary>Renders the PDF into a byte array.</summary>
    /// <exception cref="FontNotFoundException">No suitable font is installed.</exception>
    public static byte[] Render(Annex annex, string softwareVersion)
    {
        ArgumentNullException.ThrowIfNull(annex);
        var fonts = AnnexFontResolver.Install();
        using var document = new PdfDocument();
        var writer = new Writer(document, annex, fonts.Faces.Family);
        writer.RenderAll(softwareVersion);

        var date = annex.Cover.ReleaseDate.UtcDateTime;
        document.Info.Title = annex.Cover.Title;
        document.Info.Subject = annex.Cover.Subtitle;
        document.Info.Author = annex.Cover.Producer;
        document.Info.Creator = "ContributionIndex " + softwareVersion;
        document.Info.CreationDate = date;
        document.Info.ModificationDate = date;
        document.Options.CompressContentStreams = true;
        var id = DocumentId(annex);
        document.Internals.FirstDocumentID = id;
        document.Internals.SecondDocumentID = id;
        document.Language = annex.Language.Code;
        // Viewers show the title (not the file name) and open the bookmarks pane.
        document.ViewerPreferences.DisplayDocTitle = true;
        document.PageMode = PdfPageMode.UseOutlines;
        using var stream = new MemoryStream();
        // PDFsharp writes the Info dates (D:yyyyMMddHHmmss) with the current culture's calendar: a Thai, Saudi or
        // Persian locale gave years 2566, 1445 or 1402. Metadata is always written with the invariant culture.
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            document.Save(stream, closeStream: false);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }

        return StableIdentifiers(stream.ToArray(), id);
    }

    /// <summary>
    /// PDFsharp names embedded font subsets with a random six-letter tag (<c>/KTLQWE+DejaVuSans</c>); replacing each
    /// tag, in order of first appearance, by a fixed tag of the same length keeps every byte offset and the xref valid.
    /// </summary>
    /// <remarks>The XMP DocumentID and InstanceID are random GUIDs too; they become GUIDs derived from the document id.</remarks>
    internal static byte[] StableIdentifiers(byte[] pdf, string documentId)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var uuidCount = 0;
        text = XmpUuid().Replace(text, m =>
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(documentId + "/" + (uuidCount++).ToString(CultureInfo.InvariantCulture)));
            return m.Groups[1].Value + "uuid:" + new Guid(hash.AsSpan(0, 16)).ToString("D");
        });
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var result = SubsetTag().Replace(text, m =>
        {
            if (!tags.TryGetValue(m.Groups[2].Value, out var stable))
            {
                var n = tags.Count;
                stable = "CIFNT" + (char)('A' + n % 26);
                tags[m.Groups[2].Value] = stable;
            }

            return m.Groups[1].Value + "/" + stable + "+";
        });
        return Encoding.Latin1.GetBytes(result);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(<xmpMM:(?:DocumentID|InstanceID)>)uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial System.Text.RegularExpressions.Regex XmpUuid();

    [System.Text.RegularExpressions.GeneratedRegex(@"(/(?:BaseFont|FontName)\s*)/([A-Z]{6})\+")]
    private static partial System.Text.RegularExpressions.Regex SubsetTag();

    private static string DocumentId(Annex annex)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(annex.Cover.StudyId + "|" + annex.Language.Code + "|" + annex.Cover.Title));
        return Convert.ToHexString(hash, 0, 16);
    }

    /// <summary>A contents entry and bookmark: label, title, the page (and its number) and the top of its heading.</summary>
    private sealed record ContentsEntry(string Label, string Title, PdfPage Page, int PageNumber, double Y);

    /// <summary>Page-by-page layout state.</summary>
    /// <summary>
    /// Characters passed to PDFsharp's text measurement on this thread since it started: the layout's work, for the
    /// regression test that a long unbroken text is laid out in linear time (counted, not timed).
    /// </summary>
    [ThreadStatic]
    internal static long MeasuredCharacters;

    private sealed class Writer
    {
        private readonly PdfDocument _document;
        private readonly Annex _annex;
        private readonly ReportLanguage _lang;
        private readonly XFont _body;
        private readonly XFont _bodyBold;
        private readonly XFont _header;
        private readonly XFont _small;
        private readonly XFont _title;
        private readonly XFont _heading;
        private readonly string _fontFamily;
        private readonly List<ContentsEntry> _contents = [];
        private readonly Dictionary<(XFont Font, int Rune), double> _runeWidths = [];
        private PdfPage? _page;
        private XGraphics? _gfx;
        private double _y;

        public Writer(PdfDocument document, Annex annex, string fontFamily)
        {
            _document = document;
            _annex = annex;
            _lang = annex.Language;
            _fontFamily = fontFamily;
            var family = AnnexFontResolver.FamilyName;
            _body = new XFont(family, BodySize, XFontStyleEx.Regular);
            _bodyBold = new XFont(family, BodySize, XFontStyleEx.Bold);
            _header = new XFont(family, HeaderSize, XFontStyleEx.Bold);
            _small = new XFont(family, 7, XFontStyleEx.Regular);
            _title = new XFont(family, 18, XFontStyleEx.Bold);
            _heading = new XFont(family, 11, XFontStyleEx.Bold);
        }

        private XGraphics Gfx => _gfx ?? throw new InvalidOperationException("No page is open.");

        private PdfPage Page => _page ?? throw new InvalidOperationException("No page is open.");

        private double Left => Margin;

        private double Width => Page.Width.Point - 2 * Margin;

        private double Bottom => Page.Height.Point - Margin - FooterHeight;

        public void RenderAll(string softwareVersion)
        {
            TitlePage(softwareVersion);
            // The contents page is drawn at the end, when page numbers are known. No graphics are opened on it now:
            // PDFsharp writes an empty graphics context as a truncated Flate stream that poppler rejects.
            ClosePage();
            var contentsPage = _document.AddPage();
            contentsPage.Size = PdfSharp.PageSize.A4;
            foreach (var table in _annex.Tables) RenderTable(table);
            if (_annex.Charts.Count > 0) RenderCharts();
            RenderMetadata();
            ClosePage();
            DrawContents(contentsPage);
            AddOutline(contentsPage);
            DrawFooters();
        }

        private void NewPage(bool landscape)
        {
            ClosePage();
            _page = _document.AddPage();
            _page.Size = PdfSharp.PageSize.A4;
            _page.Orientation = landscape ? PdfSharp.PageOrientation.Landscape : PdfSharp.PageOrientation.Portrait;
            _gfx = XGraphics.FromPdfPage(_page);
            _y = Margin;
        }

        private void ClosePage()
        {
            _gfx?.Dispose();
            _gfx = null;
        }

        private void TitlePage(string softwareVersion)
        {
            NewPage(landscape: false);
            var cover = _annex.Cover;
            _y = 200;
            Paragraph(cover.Title, _title, 24);
            _y += 10;
            Paragraph(cover.Subtitle, _heading, 15);
            _y += 30;
            void Line(string key, string value)
            {
                Gfx.DrawString(_lang.Text(key), _bodyBold, XBrushes.Black, new XRect(Left, _y, 160, 14), XStringFormats.TopLeft);
                var lines = Wrap(value, _body, Width - 170);
                foreach (var line in lines)
                {
                    Gfx.DrawString(line, _body, XBrushes.Black, new XRect(Left + 170, _y, Width - 170, 14), XStringFormats.TopLeft);
                    _y += 12;
                }

                _y += 3;
            }

            Line("cover.study", cover.StudyId);
            Line("cover.reference_period", cover.ReferencePeriod);
            Line("cover.release_date", cover.ReleaseDateText ?? _lang.FormatDate(DateOnly.FromDateTime(cover.ReleaseDate.UtcDateTime)));
            Line("cover.producer", cover.Producer);
            if (cover.Contact is { } contact) Line("cover.contact", contact);
            Line("cover.language", _lang.Text("cover.language_name"));
            if (cover.DraftMark is { } mark)
            {
                _y += 10;
                Paragraph(mark, _heading, 15);
                Paragraph(_lang.Text("cover.draft_heading"), _bodyBold, 12);
                foreach (var reason in cover.DraftReasons) Paragraph("– " + reason, _body, 11, indent: 10);
            }
            _y += 20;
            Paragraph(_lang.Text("flags.heading"), _bodyBold, 12);
            foreach (var flag in CellFlags.Published) Paragraph(_lang.Text(flag.LegendKey()), _body, 11);
            _y = Bottom - 14;
            Paragraph(_lang.Format("annex.producer", softwareVersion), _small, 9);
        }

        /// <summary>Draws wrapped text across the body width and advances the cursor.</summary>
        private void Paragraph(string text, XFont font, double lineHeight, double indent = 0)
        {
            foreach (var line in Wrap(text, font, Width - indent))
            {
                if (_y + lineHeight > Bottom) NewPage(Page.Orientation == PdfSharp.PageOrientation.Landscape);
                Gfx.DrawString(line, font, XBrushes.Black, new XRect(Left + indent, _y, Width - indent, lineHeight), XStringFormats.TopLeft);
                _y += lineHeight;
            }
        }

        /// <summary>Greedy word wrap in linear time (<see cref="TextWrap"/>), with this document's cached character widths.</summary>
        private List<string> Wrap(string text, XFont font, double width) => TextWrap.Lines(text, width, rune => RuneWidth(rune, font));

        /// <summary>
        /// <paramref name="text"/> when it fits <paramref name="width"/>, else its longest prefix (at least 10 characters)
        /// that fits with "…" after it. One pass over the text with cached character widths: the former loop removed one
        /// character at a time and measured the whole rest each time, quadratic in the length (a title of 10,000
        /// characters took most of a minute, once per page).
        /// </summary>
        private string Shortened(string text, XFont font, double width, XGraphics gfx)
        {
            if (RunesWidth(text, font, gfx) <= width) return text;
            var room = width - RunesWidth("…", font, gfx);
            var sum = 0.0;
            var cut = 0;
            foreach (var rune in text.EnumerateRunes())
            {
                sum += RuneWidth(rune, font, gfx);
                if (sum > room && cut >= 10) break;
                cut += rune.Utf16SequenceLength;
            }

            return text[..cut].TrimEnd() + "…";
        }

        private double RunesWidth(string text, XFont font, XGraphics? gfx = null)
        {
            var sum = 0.0;
            foreach (var rune in text.EnumerateRunes()) sum += RuneWidth(rune, font, gfx);
            return sum;
        }

        private double RuneWidth(Rune rune, XFont font, XGraphics? gfx = null)
        {
            if (!_runeWidths.TryGetValue((font, rune.Value), out var w))
                _runeWidths[(font, rune.Value)] = w = Measure(rune.ToString(), font, gfx ?? Gfx);
            return w;
        }

        private static double Measure(string text, XFont font, XGraphics gfx)
        {
            MeasuredCharacters += text.Length;
            return gfx.MeasureString(text, font).Width;
        }

        private double Measure(string text, XFont font) => Measure(text, font, Gfx);

        // ---------------------------------------------------------------- tables

        private string CellText(ReportTable table, ReportRow row, int c)
        {
            var cell = row.Cells[c];
            var column = table.Columns[c];
            string text;
            if (!column.IsNumeric)
            {
                text = cell.Text ?? "";
            }
            else if (cell.Value is { } value)
            {
                text = _lang.FormatNumber(value, column.Style);
                if (cell.Flag != CellFlag.None) text += " " + cell.Flag.Symbol();
            }
            else
            {
                text = cell.Flag.Symbol();
            }

            if (cell.Notes.Count > 0)
                text += " " + string.Join(" ", cell.Notes.Select(n => _lang.Format("notes.reference", n.ToString(CultureInfo.InvariantCulture))));
            return text;
        }

        /// <summary>
        /// Column widths: a numeric column is as wide as its widest value and its longest heading word (numbers never
        /// wrap); label columns share what is left and wrap, down to a floor; only then are numeric columns squeezed.
        /// </summary>
        private double[] ColumnWidths(ReportTable table, double available, XFont header)
        {
            const double labelFloor = 48;
            var widths = new double[table.Columns.Count];
            var numericTotal = 0.0;
            for (var c = 0; c < table.Columns.Count; c++)
            {
                if (!table.Columns[c].IsNumeric) continue;
                var widest = table.Rows.Where(r => r.Role != RowRole.GroupHeading).Select(r => Measure(CellText(table, r, c), _bodyBold)).DefaultIfEmpty(0).Max();
                var longestWord = table.Columns[c].Heading.Split(' ').Select(w => Measure(w, header)).DefaultIfEmpty(0).Max();
                // +2 pt: measured widths are rounded, and a word that only just fits must not be broken.
                widths[c] = Math.Max(Math.Max(widest, longestWord), 24) + 2 * CellPadX + 2;
                numericTotal += widths[c];
            }

            var labels = Enumerable.Range(0, table.Columns.Count).Where(c => !table.Columns[c].IsNumeric).ToArray();
            if (labels.Length == 0) return widths;
            var wanted = labels.Select(c => Math.Max(
                table.Rows.Select(r => Measure(CellText(table, r, c), _bodyBold) + r.Indent * 8).DefaultIfEmpty(0).Max(),
                table.Columns[c].Heading.Split(' ').Select(w => Measure(w, header)).DefaultIfEmpty(0).Max()) + 2 * CellPadX).ToArray();
            // A label column is never narrower than its longest word, so words do not break.
            var floors = labels.Select((c, i) => Math.Min(wanted[i], Math.Max(labelFloor,
                table.Rows.SelectMany(r => (r.Cells[c].Text ?? "").Split(' ')).Select(w => Measure(w, _bodyBold))
                    .Concat(table.Columns[c].Heading.Split(' ').Select(w => Measure(w, header))).DefaultIfEmpty(0).Max() + 2 * CellPadX + 8))).ToArray();
            var remaining = available - numericTotal;
            var sum = wanted.Sum();
            for (var i = 0; i < labels.Length; i++)
            {
                widths[labels[i]] = sum <= remaining
                    ? wanted[i] + (remaining - sum) * wanted[i] / sum
                    : Math.Max(floors[i], remaining * wanted[i] / sum);
            }

            // Floors may overshoot: take the excess from label columns above their floors before squeezing numbers.
            var excess = widths.Sum() - available;
            var slack = labels.Select((c, i) => widths[c] - floors[i]).ToArray();
            var totalSlack = slack.Sum();
            if (excess > 0 && totalSlack > 0)
                for (var i = 0; i < labels.Length; i++) widths[labels[i]] -= Math.Min(slack[i], excess * slack[i] / totalSlack);
            return widths;
        }

        /// <summary>
        /// The column widths and the heading font of a table: the largest heading size (7.5 pt down to 5.5 pt) at which
        /// every column holds its longest heading word and its widest number, so that no heading word is split inside
        /// the word. Only when even the smallest size does not fit are all columns squeezed to the page.
        /// </summary>
        private (double[] Widths, XFont Header) FitColumns(ReportTable table, double available)
        {
            double[] widths = [];
            var header = _header;
            for (var size = HeaderSize; size >= MinHeaderSize - 1e-9; size -= 0.5)
            {
                header = size == HeaderSize ? _header : new XFont(AnnexFontResolver.FamilyName, size, XFontStyleEx.Bold);
                widths = ColumnWidths(table, available, header);
                if (widths.Sum() <= available + 0.01) return (widths, header);
            }

            return (Squeeze(widths, available), header);
        }

        private static double[] Squeeze(double[] widths, double available)
        {
            var total = widths.Sum();
            if (total > available) for (var c = 0; c < widths.Length; c++) widths[c] *= available / total;
            return widths;
        }

        private bool NeedsLandscape(ReportTable table)
        {
            var numeric = table.Columns.Count(c => c.IsNumeric);
            return numeric > 6 || table.Columns.Count > 8;
        }

        private void RenderTable(ReportTable table)
        {
            var landscape = NeedsLandscape(table);
            NewPage(landscape);
            _contents.Add(new(_lang.Format("table.label", table.Id), table.Title, Page, _document.PageCount, _y));
            var (widths, headerFont) = FitColumns(table, Width);
            DrawTableHeading(table, continued: false);
            var headerHeight = DrawHeaderRow(table, widths, headerFont);
            var lineHeight = BodySize * 1.25;
            var lastLabelColumn = Enumerable.Range(0, table.Columns.Count).LastOrDefault(c => !table.Columns[c].IsNumeric, -1);
            string?[] previous = new string?[table.Columns.Count];
            for (var r = 0; r < table.Rows.Count; r++)
            {
                var row = table.Rows[r];
                var cellLines = new List<string>[table.Columns.Count];
                // Outer label columns repeat the same country or breakdown row after row; print them once per block
                // (and again at the top of each page), as printed statistical tables do.
                var shown = new string?[table.Columns.Count];
                var sameSoFar = row.Role != RowRole.GroupHeading;
                for (var c = 0; c < table.Columns.Count; c++)
                {
                    if (table.Columns[c].IsNumeric || c >= lastLabelColumn) continue;
                    // A label is left out only while every label to its left also repeats the row above.
                    sameSoFar = sameSoFar && row.Cells[c].Text is { } text && text == previous[c];
                    shown[c] = sameSoFar ? "" : null;
                }

                var maxLines = 1;
                for (var c = 0; c < table.Columns.Count; c++)
                {
                    var indent = c == lastLabelColumn ? row.Indent * 8 : 0;
                    var font = row.Role == RowRole.Data ? _body : _bodyBold;
                    cellLines[c] = Wrap(shown[c] ?? CellText(table, row, c), font, widths[c] - 2 * CellPadX - indent);
                    maxLines = Math.Max(maxLines, cellLines[c].Count);
                }

                var height = maxLines * lineHeight + 2 * CellPadY;
                if (_y + height > Bottom)
                {
                    NewPage(landscape);
                    DrawTableHeading(table, continued: true);
                    headerHeight = DrawHeaderRow(table, widths, headerFont);
                    // A new page repeats every label.
                    for (var c = 0; c < table.Columns.Count; c++)
                    {
                        if (shown[c] is null) continue;
                        var indent = c == lastLabelColumn ? row.Indent * 8 : 0;
                        cellLines[c] = Wrap(CellText(table, row, c), row.Role == RowRole.Data ? _body : _bodyBold, widths[c] - 2 * CellPadX - indent);
                    }

                    height = cellLines.Max(l => l.Count) * lineHeight + 2 * CellPadY;
                }

                for (var c = 0; c < table.Columns.Count; c++)
                    if (!table.Columns[c].IsNumeric) previous[c] = row.Cells[c].Text;

                if (row.Role == RowRole.GroupHeading)
                    Gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(246, 246, 246)), Left, _y, widths.Sum(), height);
                var x = Left;
                for (var c = 0; c < table.Columns.Count; c++)
                {
                    var numeric = table.Columns[c].IsNumeric;
                    var indent = c == lastLabelColumn ? row.Indent * 8 : 0;
                    var font = row.Role == RowRole.Data ? _body : _bodyBold;
                    for (var l = 0; l < cellLines[c].Count; l++)
                    {
                        var rect = new XRect(x + CellPadX + indent, _y + CellPadY + l * lineHeight, widths[c] - 2 * CellPadX - indent, lineHeight);
                        Gfx.DrawString(cellLines[c][l], font, XBrushes.Black, rect, numeric ? XStringFormats.TopRight : XStringFormats.TopLeft);
                    }

                    x += widths[c];
                }

                _y += height;
                var pen = row.Role == RowRole.Total ? new XPen(XColors.Black, 0.6) : new XPen(XColor.FromArgb(210, 210, 210), 0.3);
                Gfx.DrawLine(pen, Left, _y, Left + widths.Sum(), _y);
            }

            _y += 6;
            DrawTableFooter(table);
        }

        private void DrawTableHeading(ReportTable table, bool continued)
        {
            var title = _lang.Format("table.label", table.Id) + ". " + table.Title + (continued ? " " + _lang.Text("table.continued") : "");
            Paragraph(title, _heading, 13.5);
            Paragraph(_lang.Format("table.units", table.Units), _small, 9);
            _y += 4;
        }

        private double DrawHeaderRow(ReportTable table, double[] widths, XFont header)
        {
            var lineHeight = header.Size * 1.2;
            var lines = table.Columns.Select((col, c) => Wrap(col.Heading, header, widths[c] - 2 * CellPadX)).ToArray();
            var height = lines.Max(l => l.Count) * lineHeight + 2 * CellPadY + 1;
            Gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(226, 234, 243)), Left, _y, widths.Sum(), height);
            var x = Left;
            for (var c = 0; c < table.Columns.Count; c++)
            {
                var numeric = table.Columns[c].IsNumeric;
                for (var l = 0; l < lines[c].Count; l++)
                {
                    var rect = new XRect(x + CellPadX, _y + CellPadY + l * lineHeight, widths[c] - 2 * CellPadX, lineHeight);
                    Gfx.DrawString(lines[c][l], header, XBrushes.Black, rect, numeric ? XStringFormats.TopRight : XStringFormats.TopLeft);
                }

                x += widths[c];
            }

            _y += height;
            Gfx.DrawLine(new XPen(XColors.Black, 0.6), Left, _y, Left + widths.Sum(), _y);
            return height;
        }

        private void DrawTableFooter(ReportTable table)
        {
            var lines = new List<string>();
            foreach (var note in table.Notes)
                lines.Add(_lang.Format("notes.reference", note.Number.ToString(CultureInfo.InvariantCulture)) + " " + note.Text);
            foreach (var flag in CellFlags.Published.Where(table.Uses)) lines.Add(_lang.Text(flag.LegendKey()));
            if (table.TotalsMayNotSum) lines.Add(_lang.Text("table.totals_rounding"));
            lines.Add(_lang.Format("table.source", table.Source));
            foreach (var line in lines) Paragraph(line, _small, 9);
        }

        // ---------------------------------------------------------------- charts

        /// <summary>Chart pixels per PDF point: 300 dpi at the printed size.</summary>
        internal const double ChartPixelsPerPoint = 300.0 / 72;

        private void RenderCharts()
        {
            NewPage(landscape: false);
            var first = true;
            foreach (var chart in _annex.Charts)
            {
                const double imageHeight = 265;
                var noteLines = chart.Note.Length == 0 ? 0 : Wrap(chart.Note, _small, Width).Count;
                var needed = 40 + imageHeight + 20 + noteLines * 9;
                if (!first && _y + needed > Bottom) NewPage(landscape: false);
                first = false;
                _contents.Add(new(_lang.Format("chart.label", chart.Id), chart.Title, Page, _document.PageCount, _y));
                Paragraph(_lang.Format("chart.label", chart.Id) + ". " + chart.Title, _heading, 13.5);
                _y += 4;
                // Drawn at 300 dpi of the printed size, so it stays sharp in print.
                var widthPx = (int)Math.Round(Width * ChartPixelsPerPoint);
                var heightPx = (int)Math.Round(imageHeight * ChartPixelsPerPoint);
                var png = ChartRenderer.RenderPng(chart, _fontFamily, widthPx, heightPx, _lang, ChartPixelsPerPoint);
                using (var stream = new MemoryStream(png))
                using (var image = XImage.FromStream(stream))
                {
                    Gfx.DrawImage(image, Left, _y, Width, imageHeight);
                }

                _y += imageHeight + 4;
                if (chart.Note.Length > 0) Paragraph(chart.Note, _small, 9);
                Paragraph(_lang.Format("table.source", chart.Source), _small, 9);
                _y += 18;
            }
        }

        // ---------------------------------------------------------------- metadata

        private void RenderMetadata()
        {
            NewPage(landscape: false);
            _contents.Add(new(_lang.Text("sheet.metadata"), _lang.Text("metadata.heading"), Page, _document.PageCount, _y));
            Paragraph(_lang.Text("metadata.heading"), _heading, 15);
            _y += 4;
            string? section = null;
            var keyWidth = Width * 0.38;
            foreach (var entry in _annex.Metadata)
            {
                if (entry.Section != section)
                {
                    section = entry.Section;
                    _y += 4;
                    Paragraph(section, _bodyBold, 12);
                }

                var keyLines = Wrap(entry.Key, _body, keyWidth - 6);
                var valueLines = Wrap(entry.Value, _body, Width - keyWidth);
                var height = Math.Max(keyLines.Count, valueLines.Count) * 10 + 2;
                if (_y + height > Bottom) NewPage(landscape: false);
                for (var l = 0; l < keyLines.Count; l++)
                    Gfx.DrawString(keyLines[l], _body, XBrushes.Black, new XRect(Left, _y + l * 10, keyWidth - 6, 10), XStringFormats.TopLeft);
                for (var l = 0; l < valueLines.Count; l++)
                    Gfx.DrawString(valueLines[l], _body, XBrushes.Black, new XRect(Left + keyWidth, _y + l * 10, Width - keyWidth, 10), XStringFormats.TopLeft);
                _y += height;
                Gfx.DrawLine(new XPen(XColor.FromArgb(225, 225, 225), 0.3), Left, _y, Left + Width, _y);
                _y += 1;
            }
        }

        // ---------------------------------------------------------------- contents and footers

        private void DrawContents(PdfPage page)
        {
            _page = page;
            _gfx = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            _y = Margin;
            Paragraph(_lang.Text("contents.heading"), _heading, 18);
            _y += 6;
            var numberWidth = 40.0;
            foreach (var entry in _contents)
            {
                var top = _y;
                var lines = Wrap(entry.Label + ". " + entry.Title, _body, Width - numberWidth - 10);
                for (var l = 0; l < lines.Count; l++)
                {
                    Gfx.DrawString(lines[l], _body, XBrushes.Black, new XRect(Left, _y, Width - numberWidth, 11), XStringFormats.TopLeft);
                    if (l == 0)
                        Gfx.DrawString(entry.PageNumber.ToString(CultureInfo.InvariantCulture), _body, XBrushes.Black, new XRect(Left + Width - numberWidth, _y, numberWidth, 11), XStringFormats.TopRight);
                    _y += 11;
                }

                // The whole entry, title and page number, links to where the table or chart starts.
                var height = page.Height.Point;
                var area = new XRect(Left, height - _y, Width, _y - top);
                var link = page.AddDocumentLink(new PdfRectangle(area), entry.PageNumber, new XPoint(0, entry.Page.Height.Point - entry.Y + 6));
                // PDFsharp names each annotation with a random GUID and stamps it with the clock; both are optional: dropped for reproducible bytes.
                link.Elements.Remove("/NM");
                link.Elements.Remove("/M");
                _y += 4;
            }

            ClosePage();
        }

        /// <summary>The bookmarks: cover, contents, then one per table, chart and the methodology, each at its heading.</summary>
        private void AddOutline(PdfPage contentsPage)
        {
            _document.Outlines.Add(_annex.Cover.Title, _document.Pages[0], false);
            _document.Outlines.Add(_lang.Text("contents.heading"), contentsPage, false);
            foreach (var entry in _contents)
            {
                var outline = _document.Outlines.Add(entry.Label + ". " + entry.Title, entry.Page, false);
                outline.PageDestinationType = PdfPageDestinationType.Xyz;
                outline.Left = 0;
                outline.Top = entry.Page.Height.Point - entry.Y + 6;
            }
        }

        private void DrawFooters()
        {
            var count = _document.PageCount;
            for (var i = 0; i < count; i++)
            {
                var page = _document.Pages[i];
                using var gfx = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
                var y = page.Height.Point - Margin;
                var width = page.Width.Point - 2 * Margin;
                gfx.DrawLine(new XPen(XColor.FromArgb(180, 180, 180), 0.3), Margin, y, Margin + width, y);
                var title = Shortened(_annex.Cover.DraftMark is { } draft ? draft + " · " + _annex.Cover.Title : _annex.Cover.Title, _small, width * 0.78, gfx);
                gfx.DrawString(title, _small, XBrushes.Gray, new XRect(Margin, y + 4, width * 0.78, 10), XStringFormats.TopLeft);
                var number = _lang.Format("page.number", (i + 1).ToString(CultureInfo.InvariantCulture), count.ToString(CultureInfo.InvariantCulture));
                gfx.DrawString(number, _small, XBrushes.Gray, new XRect(Margin, y + 4, width, 10), XStringFormats.TopRight);
            }
        }
    }
}
