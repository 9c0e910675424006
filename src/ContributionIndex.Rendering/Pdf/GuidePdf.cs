using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ContributionIndex.IO;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace ContributionIndex.Rendering.Pdf;

/// <summary>
/// Renders a document written in a small Markdown subset — the methodology guide (methodology/guide/) — as an A4 PDF
/// with the annex's embedded fonts: <c>#</c>/<c>##</c>/<c>###</c> headings (the first two as bookmarks), paragraphs,
/// <c>-</c> and <c>1.</c> lists, <c>&gt;</c> quotes, fenced code blocks, pipe tables with a header row, and inline
/// <c>**bold**</c>, <c>`code`</c> and <c>[text](url)</c> (shown as text). Anything else is printed as text.
/// </summary>
/// <remarks>Reproducible like the annex PDF: fixed dates, a document id from the title and language, stable font tags.</remarks>
public static partial class GuidePdf
{
    private const double Margin = 50;
    private const double FooterHeight = 20;
    private const double BodySize = 9.5;
    private const double CodeSize = 8;
    private const double TableSize = 7.5;

    /// <summary>Writes the PDF of <paramref name="markdown"/> to <paramref name="path"/> atomically.</summary>
    /// <param name="markdown">The document text.</param>
    /// <param name="path">The PDF file.</param>
    /// <param name="language">ISO 639-1 code written as the document language.</param>
    /// <param name="date">Creation date written in the metadata (never the clock).</param>
    /// <exception cref="FontNotFoundException">No suitable font is installed.</exception>
    public static void WriteFile(string markdown, string path, string language, DateTimeOffset date) =>
        AtomicFile.WriteAllBytes(path, Render(markdown, language, date));

    /// <summary>Renders <paramref name="markdown"/> into PDF bytes; the first <c>#</c> heading is the document title.</summary>
    /// <exception cref="FontNotFoundException">No suitable font is installed.</exception>
    public static byte[] Render(string markdown, string language, DateTimeOffset date)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        ArgumentException.ThrowIfNullOrEmpty(language);
        AnnexFontResolver.Install();
        var blocks = Parse(markdown);
        var title = blocks.FirstOrDefault(b => b.Kind == BlockKind.Heading && b.Level == 1)?.Lines[0] ?? "";
        using var document = new PdfDocument();
        new Writer(document, title).Render(blocks);
        document.Info.Title = title;
        document.Info.Creator = "ContributionIndex";
        document.Info.CreationDate = date.UtcDateTime;
        document.Info.ModificationDate = date.UtcDateTime;
        document.Options.CompressContentStreams = true;
        var id = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("guide|" + language + "|" + title)), 0, 16);
        document.Internals.FirstDocumentID = id;
        document.Internals.SecondDocumentID = id;
        document.Language = language;
        document.ViewerPreferences.DisplayDocTitle = true;
        document.PageMode = PdfPageMode.UseOutlines;
        using var stream = new MemoryStream();
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

        return PdfRenderer.StableIdentifiers(stream.ToArray(), id);
    }

    internal enum BlockKind
    {
        Heading,
        Paragraph,
        Bullet,
        Numbered,
        Quote,
        Code,
        Table,
    }

    /// <summary>One block of the document: its kind, heading level or list number, and its lines (table rows as cells joined by tabs).</summary>
    internal sealed record Block(BlockKind Kind, int Level, List<string> Lines);

    /// <summary>Splits the Markdown subset into blocks.</summary>
    internal static List<Block> Parse(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blocks = new List<Block>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith("<!--", StringComparison.Ordinal)) continue;
            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                var code = new List<string>();
                for (i++; i < lines.Length && !lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal); i++) code.Add(lines[i].TrimEnd());
                blocks.Add(new Block(BlockKind.Code, 0, code));
                continue;
            }

            if (HeadingLine().Match(trimmed) is { Success: true } heading)
            {
                blocks.Add(new Block(BlockKind.Heading, heading.Groups[1].Length, [heading.Groups[2].Value.Trim()]));
                continue;
            }

            if (trimmed.StartsWith('|'))
            {
                var rows = new List<string>();
                for (; i < lines.Length && lines[i].Trim().StartsWith('|'); i++)
                {
                    var cells = SplitRow(lines[i].Trim());
                    if (cells.All(c => SeparatorCell().IsMatch(c))) continue;
                    rows.Add(string.Join('\t', cells));
                }

                i--;
                blocks.Add(new Block(BlockKind.Table, 0, rows));
                continue;
            }

            if (BulletLine().Match(line) is { Success: true } bullet)
            {
                blocks.Add(new Block(BlockKind.Bullet, bullet.Groups[1].Length / 2, [Continue(lines, ref i, bullet.Groups[2].Value)]));
                continue;
            }

            if (NumberedLine().Match(line) is { Success: true } numbered)
            {
                blocks.Add(new Block(BlockKind.Numbered, int.Parse(numbered.Groups[1].Value, CultureInfo.InvariantCulture), [Continue(lines, ref i, numbered.Groups[2].Value)]));
                continue;
            }

            if (trimmed.StartsWith('>'))
            {
                var quote = new StringBuilder();
                for (; i < lines.Length && lines[i].Trim().StartsWith('>'); i++) quote.Append(lines[i].Trim()[1..].Trim()).Append(' ');
                i--;
                blocks.Add(new Block(BlockKind.Quote, 0, [quote.ToString().Trim()]));
                continue;
            }

            blocks.Add(new Block(BlockKind.Paragraph, 0, [Continue(lines, ref i, trimmed)]));
        }

        return blocks;
    }

    /// <summary>A paragraph or list item: the first line and the continuation lines up to a blank line or a new block.</summary>
    private static string Continue(string[] lines, ref int i, string first)
    {
        var text = new StringBuilder(first.Trim());
        while (i + 1 < lines.Length)
        {
            var next = lines[i + 1];
            var t = next.Trim();
            if (t.Length == 0 || t.StartsWith('#') || t.StartsWith('|') || t.StartsWith("```", StringComparison.Ordinal) || t.StartsWith('>')
                || BulletLine().IsMatch(next) || NumberedLine().IsMatch(next)) break;
            text.Append(' ').Append(t);
            i++;
        }

        return text.ToString();
    }

    private static string[] SplitRow(string row)
    {
        var inner = row.Trim().Trim('|');
        return inner.Split('|').Select(c => c.Trim()).ToArray();
    }

    /// <summary>Inline markup as plain text: bold and code markers dropped, links as "text (url)".</summary>
    internal static string Plain(string text)
    {
        text = Link().Replace(text, m => m.Groups[2].Value.StartsWith("http", StringComparison.Ordinal) ? m.Groups[1].Value + " (" + m.Groups[2].Value + ")" : m.Groups[1].Value);
        return text.Replace("**", "", StringComparison.Ordinal).Replace("`", "", StringComparison.Ordinal).Replace("\\|", "|", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^(#{1,4})\s+(.*)$")]
    private static partial Regex HeadingLine();

    [GeneratedRegex(@"^(\s*)[-*]\s+(.*)$")]
    private static partial Regex BulletLine();

    [GeneratedRegex(@"^\s*(\d+)[.)]\s+(.*)$")]
    private static partial Regex NumberedLine();

    [GeneratedRegex(@"^:?-{2,}:?$")]
    private static partial Regex SeparatorCell();

    [GeneratedRegex(@"\[([^\]]+)\]\(([^)]+)\)")]
    private static partial Regex Link();

    /// <summary>Page-by-page layout.</summary>
    private sealed class Writer(PdfDocument document, string title)
    {
        private readonly Dictionary<(XFont Font, int Rune), double> _runeWidths = [];
        private readonly XFont _body = new(AnnexFontResolver.FamilyName, BodySize, XFontStyleEx.Regular);
        private readonly XFont _bold = new(AnnexFontResolver.FamilyName, BodySize, XFontStyleEx.Bold);
        private readonly XFont _code = new(AnnexFontResolver.FamilyName, CodeSize, XFontStyleEx.Regular);
        private readonly XFont _table = new(AnnexFontResolver.FamilyName, TableSize, XFontStyleEx.Regular);
        private readonly XFont _tableBold = new(AnnexFontResolver.FamilyName, TableSize, XFontStyleEx.Bold);
        private readonly XFont _small = new(AnnexFontResolver.FamilyName, 7, XFontStyleEx.Regular);
        private readonly XFont[] _headings =
        [
            new(AnnexFontResolver.FamilyName, 17, XFontStyleEx.Bold),
            new(AnnexFontResolver.FamilyName, 13, XFontStyleEx.Bold),
            new(AnnexFontResolver.FamilyName, 11, XFontStyleEx.Bold),
            new(AnnexFontResolver.FamilyName, 10, XFontStyleEx.Bold),
        ];

        private readonly List<(int Level, string Text, PdfPage Page, double Y)> _outline = [];
        private PdfPage? _page;
        private XGraphics? _gfx;
        private double _y;

        private XGraphics Gfx => _gfx ?? throw new InvalidOperationException("No page is open.");

        private double Width => 595.28 - (2 * Margin);

        private double Bottom => 841.89 - Margin - FooterHeight;

        public void Render(List<Block> blocks)
        {
            NewPage();
            foreach (var block in blocks)
            {
                switch (block.Kind)
                {
                    case BlockKind.Heading:
                        Heading(block.Level, Plain(block.Lines[0]));
                        break;
                    case BlockKind.Paragraph:
                        Text(Plain(block.Lines[0]), _body, 0, 4);
                        break;
                    case BlockKind.Quote:
                        Text(Plain(block.Lines[0]), _body, 14, 4);
                        break;
                    case BlockKind.Bullet:
                        Item("•", Plain(block.Lines[0]), 10 + (12 * block.Level));
                        break;
                    case BlockKind.Numbered:
                        Item(block.Level.ToString(CultureInfo.InvariantCulture) + ".", Plain(block.Lines[0]), 10);
                        break;
                    case BlockKind.Code:
                        Code(block.Lines);
                        break;
                    case BlockKind.Table:
                        Table(block.Lines.Select(r => r.Split('\t').Select(Plain).ToArray()).ToList());
                        break;
                }
            }

            ClosePage();
            Footers();
            Outline();
        }

        private void NewPage()
        {
            ClosePage();
            _page = document.AddPage();
            _page.Size = PdfSharp.PageSize.A4;
            _gfx = XGraphics.FromPdfPage(_page);
            _y = Margin;
        }

        private void ClosePage()
        {
            _gfx?.Dispose();
            _gfx = null;
        }

        private void Need(double height)
        {
            if (_y + height > Bottom) NewPage();
        }

        private void Heading(int level, string text)
        {
            var font = _headings[Math.Clamp(level, 1, 4) - 1];
            var lines = Wrap(text, font, Width);
            var lineHeight = font.Size * 1.3;
            // A heading never ends a page: keep it with two lines of what follows.
            Need((lines.Count * lineHeight) + (level <= 2 ? 14 : 8) + (3 * BodySize * 1.35));
            _y += level <= 2 ? 10 : 6;
            if (level <= 2) _outline.Add((level, text, _page!, _y));
            foreach (var line in lines)
            {
                Gfx.DrawString(line, font, XBrushes.Black, new XRect(Margin, _y, Width, lineHeight), XStringFormats.TopLeft);
                _y += lineHeight;
            }

            if (level == 1)
            {
                Gfx.DrawLine(new XPen(XColors.Gray, 0.6), Margin, _y + 1, Margin + Width, _y + 1);
                _y += 4;
            }

            _y += 3;
        }

        private void Text(string text, XFont font, double indent, double after)
        {
            var lineHeight = font.Size * 1.35;
            foreach (var line in Wrap(text, font, Width - indent))
            {
                Need(lineHeight);
                Gfx.DrawString(line, font, XBrushes.Black, new XRect(Margin + indent, _y, Width - indent, lineHeight), XStringFormats.TopLeft);
                _y += lineHeight;
            }

            _y += after;
        }

        private void Item(string marker, string text, double indent)
        {
            var lineHeight = BodySize * 1.35;
            var lines = Wrap(text, _body, Width - indent - 12);
            for (var i = 0; i < lines.Count; i++)
            {
                Need(lineHeight);
                if (i == 0) Gfx.DrawString(marker, _body, XBrushes.Black, new XRect(Margin + indent - 12, _y, 12, lineHeight), XStringFormats.TopLeft);
                Gfx.DrawString(lines[i], _body, XBrushes.Black, new XRect(Margin + indent, _y, Width - indent, lineHeight), XStringFormats.TopLeft);
                _y += lineHeight;
            }

            _y += 2;
        }

        private void Code(List<string> lines)
        {
            var lineHeight = CodeSize * 1.3;
            var wrapped = lines.SelectMany(l => l.Length == 0 ? new List<string> { "" } : Wrap(l, _code, Width - 12)).ToList();
            _y += 2;
            var i = 0;
            while (i < wrapped.Count)
            {
                Need(lineHeight + 6);
                var fit = Math.Max(1, Math.Min(wrapped.Count - i, (int)((Bottom - _y - 6) / lineHeight)));
                Gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(243, 243, 243)), Margin, _y, Width, (fit * lineHeight) + 6);
                _y += 3;
                for (var k = 0; k < fit; k++, i++)
                {
                    Gfx.DrawString(wrapped[i], _code, XBrushes.Black, new XRect(Margin + 6, _y, Width - 12, lineHeight), XStringFormats.TopLeft);
                    _y += lineHeight;
                }

                _y += 3;
            }

            _y += 5;
        }

        private void Table(List<string[]> rows)
        {
            if (rows.Count == 0) return;
            var columns = rows.Max(r => r.Length);
            // Column widths in proportion to the longest text of each column, each at least a sixth of an even share.
            var longest = Enumerable.Range(0, columns).Select(c => rows.Max(r => c < r.Length ? Gfx.MeasureString(r[c], _table).Width : 0) + 8).ToArray();
            var minimum = Width / columns / 3;
            var widths = longest.Select(w => Math.Max(minimum, w)).ToArray();
            var total = widths.Sum();
            if (total > Width)
            {
                // Shrink the wide columns first: cap each at an even share of what the narrow ones leave.
                var share = Width / columns;
                var narrow = widths.Where(w => w <= share).Sum();
                var wide = widths.Count(w => w > share);
                var cap = wide == 0 ? share : (Width - narrow) / wide;
                widths = widths.Select(w => w > share ? Math.Max(cap, minimum) : w).ToArray();
                var scale = Width / widths.Sum();
                widths = widths.Select(w => w * scale).ToArray();
            }
            else
            {
                widths = widths.Select(w => w * Width / total).ToArray();
            }

            var lineHeight = TableSize * 1.3;
            var header = rows[0];
            // The header never ends a page alone: keep it with the first data row.
            double Height(string[] row, XFont font) => (widths.Select((w, c) => c < row.Length ? Wrap(row[c], font, w - 6).Count : 1).Max() * lineHeight) + 4;
            Need(Height(header, _tableBold) + (rows.Count > 1 ? Height(rows[1], _table) : 0));
            for (var r = 0; r < rows.Count; r++)
            {
                var font = r == 0 ? _tableBold : _table;
                var cells = Enumerable.Range(0, columns).Select(c => c < rows[r].Length ? Wrap(rows[r][c], font, widths[c] - 6) : new List<string>()).ToArray();
                var height = (cells.Max(c => Math.Max(1, c.Count)) * lineHeight) + 4;
                if (_y + height > Bottom)
                {
                    NewPage();
                    if (r > 0) DrawRow(header, _tableBold, widths, lineHeight, shaded: true);
                }

                DrawRow(rows[r], font, widths, lineHeight, shaded: r == 0, wrapped: cells);
            }

            _y += 6;
        }

        private void DrawRow(string[] row, XFont font, double[] widths, double lineHeight, bool shaded, List<string>[]? wrapped = null)
        {
            wrapped ??= widths.Select((w, c) => c < row.Length ? Wrap(row[c], font, w - 6) : new List<string>()).ToArray();
            var height = (wrapped.Max(c => Math.Max(1, c.Count)) * lineHeight) + 4;
            if (shaded) Gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(232, 236, 242)), Margin, _y, widths.Sum(), height);
            var x = Margin;
            for (var c = 0; c < widths.Length; c++)
            {
                var y = _y + 2;
                foreach (var line in wrapped[c])
                {
                    Gfx.DrawString(line, font, XBrushes.Black, new XRect(x + 3, y, widths[c] - 6, lineHeight), XStringFormats.TopLeft);
                    y += lineHeight;
                }

                x += widths[c];
            }

            Gfx.DrawLine(new XPen(XColors.LightGray, 0.4), Margin, _y + height, Margin + widths.Sum(), _y + height);
            _y += height;
        }

        /// <summary>Greedy word wrap in linear time (<see cref="TextWrap"/>), as the annex wraps.</summary>
        private List<string> Wrap(string text, XFont font, double width) => TextWrap.Lines(text, width, rune => RuneWidth(rune, font));

        private double RuneWidth(Rune rune, XFont font)
        {
            if (!_runeWidths.TryGetValue((font, rune.Value), out var w))
                _runeWidths[(font, rune.Value)] = w = Gfx.MeasureString(rune.ToString(), font).Width;
            return w;
        }

        private void Footers()
        {
            var count = document.PageCount;
            for (var p = 0; p < count; p++)
            {
                using var gfx = XGraphics.FromPdfPage(document.Pages[p]);
                var text = title + " — " + (p + 1).ToString(CultureInfo.InvariantCulture) + " / " + count.ToString(CultureInfo.InvariantCulture);
                gfx.DrawString(text, _small, XBrushes.Gray, new XRect(Margin, 841.89 - Margin, Width, 10), XStringFormats.TopCenter);
            }
        }

        private void Outline()
        {
            PdfOutline? parent = null;
            foreach (var (level, text, page, _) in _outline)
            {
                if (level == 1 || parent is null)
                    parent = document.Outlines.Add(text, page, true);
                else
                    parent.Outlines.Add(text, page, false);
            }
        }
    }
}
