using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace ContributionIndex.Ingest;

/// <summary>How a numeric cell's style says its number is shown, as ClosedXML 0.95 decided it when loading a workbook.</summary>
internal enum XlsxNumberKind : byte
{
    Number,
    DateTime,
    TimeSpan,
    Text,
}

/// <summary>
/// The parts of a workbook that every sheet needs, read once: the sheet list (workbook order), the shared strings (decoded
/// as ClosedXML decodes them), each cell style's number kind and the 1904 date system flag.
/// </summary>
internal sealed partial class XlsxWorkbook
{
    private const string RelationshipsNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    private XlsxWorkbook(IReadOnlyList<(string Name, string Part)> sheets, string[] sharedStrings, XlsxNumberKind[]? styleKinds, bool date1904)
    {
        Sheets = sheets;
        SharedStrings = sharedStrings;
        StyleKinds = styleKinds;
        Date1904 = date1904;
    }

    /// <summary>Sheet names and their zip entry names, in workbook order.</summary>
    public IReadOnlyList<(string Name, string Part)> Sheets { get; }

    /// <summary>The shared strings as cell text.</summary>
    public string[] SharedStrings { get; }

    /// <summary>The number kind of each cell style (cellXfs index); null when the workbook has no styles part.</summary>
    public XlsxNumberKind[]? StyleKinds { get; }

    /// <summary>Whether serial dates count from 1904 (workbookPr date1904).</summary>
    public bool Date1904 { get; }

    /// <summary>Reads the workbook part, its relationships, the shared strings and the styles.</summary>
    public static XlsxWorkbook Read(ZipArchive zip)
    {
        var workbookPart = RelationshipTarget(zip, "_rels/.rels", "", type => type.EndsWith("/officeDocument", StringComparison.Ordinal)) ?? "xl/workbook.xml";
        var folder = workbookPart.Contains('/', StringComparison.Ordinal) ? workbookPart[..(workbookPart.LastIndexOf('/') + 1)] : "";
        var relationshipsPart = folder + "_rels/" + workbookPart[folder.Length..] + ".rels";
        var targets = Relationships(zip, relationshipsPart, folder);

        var sheets = new List<(string, string)>();
        var date1904 = false;
        var workbookEntry = Entry(zip, workbookPart) ?? throw new InvalidDataException("the workbook part (xl/workbook.xml) is missing");
        using (var xml = Open(workbookEntry))
        {
            while (xml.Read())
            {
                if (xml.NodeType != XmlNodeType.Element) continue;
                if (xml.LocalName == "workbookPr")
                {
                    var flag = xml.GetAttribute("date1904");
                    date1904 = flag is "1" or "true";
                }
                else if (xml.LocalName == "sheet")
                {
                    var name = xml.GetAttribute("name") ?? "";
                    var id = xml.GetAttribute("id", RelationshipsNs);
                    if (id is not null && targets.TryGetValue(id, out var target)) sheets.Add((name, target.Part));
                }
            }
        }

        string? sharedStringsPart = null, stylesPart = null;
        foreach (var (_, (type, part)) in targets)
        {
            if (type.EndsWith("/sharedStrings", StringComparison.Ordinal)) sharedStringsPart = part;
            else if (type.EndsWith("/styles", StringComparison.Ordinal)) stylesPart = part;
        }

        var shared = sharedStringsPart is null || Entry(zip, sharedStringsPart) is not { } sst ? [] : ReadSharedStrings(sst);
        var styles = stylesPart is null || Entry(zip, stylesPart) is not { } st ? null : ReadStyleKinds(st);
        return new XlsxWorkbook(sheets, shared, styles, date1904);
    }

    /// <summary>A zip entry by part name (case-insensitive, without a leading slash), or null.</summary>
    public static ZipArchiveEntry? Entry(ZipArchive zip, string part)
    {
        var name = part.TrimStart('/');
        return zip.GetEntry(name) ?? zip.Entries.FirstOrDefault(e => string.Equals(e.FullName, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>An XML reader over a part: no DTDs (billion laughs), whitespace kept (cell text may be spaces).</summary>
    public static XmlReader Open(ZipArchiveEntry entry) =>
        XmlReader.Create(entry.Open(), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, CloseInput = true, IgnoreComments = true });

    private static string? RelationshipTarget(ZipArchive zip, string relationshipsPart, string folder, Func<string, bool> type) =>
        Relationships(zip, relationshipsPart, folder).Values.Where(t => type(t.Type)).Select(t => t.Part).FirstOrDefault();

    /// <summary>Relationship id → (type, target part resolved against <paramref name="folder"/>).</summary>
    private static Dictionary<string, (string Type, string Part)> Relationships(ZipArchive zip, string relationshipsPart, string folder)
    {
        var result = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        if (Entry(zip, relationshipsPart) is not { } entry) return result;
        using var xml = Open(entry);
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "Relationship") continue;
            if (xml.GetAttribute("TargetMode") == "External") continue;
            var id = xml.GetAttribute("Id");
            var target = xml.GetAttribute("Target");
            if (id is null || target is null) continue;
            result[id] = (xml.GetAttribute("Type") ?? "", Resolve(folder, target));
        }

        return result;
    }

    private static string Resolve(string folder, string target)
    {
        if (target.StartsWith('/')) return target[1..];
        var parts = new List<string>(folder.Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (var segment in target.Split('/'))
        {
            if (segment == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); }
            else if (segment is not ("." or "")) parts.Add(segment);
        }

        return string.Join('/', parts);
    }

    private static string[] ReadSharedStrings(ZipArchiveEntry entry)
    {
        var result = new List<string>();
        using var xml = Open(entry);
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "si") result.Add(ReadRichText(xml, sharedString: true));
        }

        return [.. result];
    }

    /// <summary>
    /// The text of a string item (<c>si</c>, or an inline <c>is</c>), positioned on its start element; leaves the reader on
    /// its end. Rich-text runs are joined; phonetic runs (<c>rPh</c>) are not text. Decoding follows ClosedXML 0.95: runs
    /// get their line breaks normalised, a plain shared string has its <c>_xHHHH_</c> escapes decoded, and
    /// <see cref="ClosedXmlGetString"/> decodes what is left, as its GetString did.
    /// </summary>
    public static string ReadRichText(XmlReader xml, bool sharedString)
    {
        if (xml.IsEmptyElement) return "";
        int depth = xml.Depth;
        string? plain = null;
        StringBuilder? runs = null;
        while (xml.Read() && xml.Depth > depth)
        {
            if (xml.NodeType != XmlNodeType.Element) continue;
            if (xml.LocalName == "rPh")
            {
                // Phonetic guide text is not cell text: read through to its end element.
                int phonetic = xml.Depth;
                if (!xml.IsEmptyElement)
                    while (xml.Read() && xml.Depth > phonetic) { }
                continue;
            }

            if (xml.LocalName == "t")
            {
                bool inRun = xml.Depth > depth + 1;
                var text = xml.IsEmptyElement ? "" : ReadContent(xml);
                if (inRun) (runs ??= new StringBuilder()).Append(FixNewLines(text));
                else plain ??= text;
            }
        }

        string value = runs is not null ? runs.ToString()
            : plain is null ? ""
            : sharedString ? XmlConvert.DecodeName(UppercaseEscape().Replace(plain, "_x005F_$1_")) : FixNewLines(plain);
        return ClosedXmlGetString(value);
    }

    /// <summary>The text content of the current element (text, whitespace, CDATA), leaving the reader on its end element.</summary>
    public static string ReadContent(XmlReader xml)
    {
        int depth = xml.Depth;
        string? single = null;
        StringBuilder? many = null;
        while (xml.Read() && xml.Depth > depth)
        {
            if (xml.NodeType is XmlNodeType.Text or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace or XmlNodeType.CDATA)
            {
                if (single is null) single = xml.Value;
                else (many ??= new StringBuilder(single)).Append(xml.Value);
            }
        }

        return many?.ToString() ?? single ?? "";
    }

    /// <summary>ClosedXML's GetString: <c>_xHHHH_</c> (not <c>_x005F_</c>-escaped) becomes the character U+HHHH.</summary>
    public static string ClosedXmlGetString(string value)
    {
        if (!value.Contains("_x", StringComparison.Ordinal)) return value;
        return Utf().Replace(value, m => ((char)int.Parse(m.Groups[1].Value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)).ToString());
    }

    /// <summary>ClosedXML's FixNewLines: every line break becomes <see cref="Environment.NewLine"/>.</summary>
    public static string FixNewLines(string value) => value.Contains('\n', StringComparison.Ordinal) ? NewLine().Replace(value, Environment.NewLine) : value;

    [GeneratedRegex(@"(?<!_x005F)_x(?!005F)([0-9A-F]{4})_")]
    private static partial Regex Utf();

    [GeneratedRegex("_(X[\\dA-Fa-f]{4})_")]
    private static partial Regex UppercaseEscape();

    [GeneratedRegex(@"((?<!\r)\n|\r\n)")]
    private static partial Regex NewLine();

    /// <summary>The number kind of each cellXfs entry from its numFmtId and the custom numFmt codes.</summary>
    private static XlsxNumberKind[] ReadStyleKinds(ZipArchiveEntry entry)
    {
        var customFormats = new Dictionary<uint, string>();
        var styleFormats = new List<uint?>();
        using (var xml = Open(entry))
        {
            bool inCellXfs = false;
            int cellXfsDepth = -1;
            while (xml.Read())
            {
                if (xml.NodeType == XmlNodeType.EndElement && inCellXfs && xml.Depth == cellXfsDepth) inCellXfs = false;
                if (xml.NodeType != XmlNodeType.Element) continue;
                switch (xml.LocalName)
                {
                    case "numFmt":
                        if (uint.TryParse(xml.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && xml.GetAttribute("formatCode") is { } code)
                            customFormats.TryAdd(id, code);
                        break;
                    case "cellXfs":
                        inCellXfs = !xml.IsEmptyElement;
                        cellXfsDepth = xml.Depth;
                        break;
                    case "xf" when inCellXfs && xml.Depth == cellXfsDepth + 1:
                        styleFormats.Add(uint.TryParse(xml.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var format) ? format : null);
                        break;
                }
            }
        }

        var kinds = new XlsxNumberKind[styleFormats.Count];
        for (int i = 0; i < kinds.Length; i++)
        {
            if (styleFormats[i] is not { } id) continue;
            kinds[i] = customFormats.TryGetValue(id, out var code) && code.Length > 0 ? KindOfFormat(code) : KindOfFormatId(id);
        }

        return kinds;
    }

    /// <summary>ClosedXML 0.95's GetDataTypeFromCell for a built-in format id.</summary>
    private static XlsxNumberKind KindOfFormatId(uint id) => id switch
    {
        46 => XlsxNumberKind.TimeSpan,
        >= 14 and <= 22 or >= 45 and <= 47 => XlsxNumberKind.DateTime,
        49 => XlsxNumberKind.Text,
        _ => XlsxNumberKind.Number,
    };

    /// <summary>ClosedXML 0.95's GetDataTypeFromFormat: the first digit placeholder or date letter outside quotes decides.</summary>
    private static XlsxNumberKind KindOfFormat(string format)
    {
        var f = format.ToLowerInvariant();
        for (int i = 0; i < f.Length; i++)
        {
            char c = f[i];
            if (c == '"')
            {
                i = f.IndexOf('"', i + 1);
                if (i < 0) break;
            }
            else if (c is '0' or '#' or '?') return XlsxNumberKind.Number;
            else if (c is 'y' or 'm' or 'd' or 'h' or 's') return XlsxNumberKind.DateTime;
        }

        return XlsxNumberKind.Number;
    }

    /// <summary>Parses an A1 reference (<c>AB12</c>) into 1-based row and column.</summary>
    internal static bool TryParseReference(string reference, out int row, out int column)
    {
        row = 0;
        column = 0;
        var i = 0;
        for (; i < reference.Length && char.IsAsciiLetter(reference[i]); i++)
        {
            column = column * 26 + (char.ToUpperInvariant(reference[i]) - 'A' + 1);
            if (column > 16_384) return false;
        }

        if (i == 0 || i == reference.Length) return false;
        for (; i < reference.Length; i++)
        {
            if (!char.IsAsciiDigit(reference[i])) return false;
            row = row * 10 + (reference[i] - '0');
            if (row > 1_048_576) return false;
        }

        return row > 0;
    }
}

/// <summary>One cell of a row as read from the sheet XML.</summary>
/// <param name="Column">1-based column.</param>
/// <param name="Text">The cell text (empty for an empty cell or a formula).</param>
/// <param name="IsNumber">Whether the text is an invariant number from a numeric cell.</param>
/// <param name="Formula">The formula text, or null.</param>
/// <param name="IsError">Whether the cell is an error cell (<c>t="e"</c>).</param>
internal readonly record struct XlsxCell(int Column, string Text, bool IsNumber, string? Formula, bool IsError)
{
    /// <summary>A cell counts as used (for the header and a row's width) when it has text, a formula or an error.</summary>
    public bool IsUsed => Text.Length > 0 || Formula is not null || IsError;
}

/// <summary>One row: its 1-based number, its used cells in column order and the last used column.</summary>
internal sealed class XlsxRow
{
    public int Row { get; set; }

    public List<XlsxCell> Cells { get; } = [];

    public int LastUsedColumn { get; set; }
}

/// <summary>
/// The rows of one sheet part, read forward with an <see cref="XmlReader"/>: one row in memory at a time. Cell values
/// are turned into text as ClosedXML 0.95 did (see <see cref="XlsxTabularReader"/>).
/// </summary>
internal sealed class XlsxSheetStream : IDisposable
{
    private readonly XmlReader xml;
    private readonly XlsxWorkbook workbook;
    private readonly string path;
    private readonly XlsxRow row = new();
    private readonly Dictionary<string, (string Formula, int Row, int Column)> sharedFormulas = new(StringComparer.Ordinal);
    private readonly string nameRow, nameC, nameV, nameF, nameIs, nameR, nameT, nameS, nameSi, nameRef;
    private int previousRow;

    public XlsxSheetStream(ZipArchive zip, string part, XlsxWorkbook workbook, string path)
    {
        var entry = XlsxWorkbook.Entry(zip, part) ?? throw new InvalidDataException($"the sheet part '{part}' is missing");
        this.workbook = workbook;
        this.path = path;
        xml = XlsxWorkbook.Open(entry);
        var names = xml.NameTable;
        nameRow = names.Add("row");
        nameC = names.Add("c");
        nameV = names.Add("v");
        nameF = names.Add("f");
        nameIs = names.Add("is");
        nameR = names.Add("r");
        nameT = names.Add("t");
        nameS = names.Add("s");
        nameSi = names.Add("si");
        nameRef = names.Add("ref");
    }

    /// <summary>The next row with at least one used cell, or null at the end of the sheet. The row object is reused.</summary>
    public XlsxRow? NextUsedRow()
    {
        try
        {
            while (xml.Read())
            {
                if (xml.NodeType != XmlNodeType.Element || !ReferenceEquals(xml.LocalName, nameRow)) continue;
                ReadRow();
                if (row.LastUsedColumn > 0) return row;
            }

            return null;
        }
        catch (Exception ex) when (ex is XmlException or InvalidDataException or FormatException or OverflowException)
        {
            throw new Diagnostics.InputDataException(Diagnostics.SourceLocation.OfFile(path),
                $"the sheet cannot be read after row {previousRow.ToString(CultureInfo.InvariantCulture)} ({ex.GetType().Name}: {Diagnostics.MessageText.Excerpt(ex.Message)}).",
                "Open and save the workbook again in the spreadsheet program, or export the sheet as CSV.", ex);
        }
    }

    private void ReadRow()
    {
        int number = previousRow + 1;
        if (xml.GetAttribute(nameR) is { } r && int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0) number = parsed;
        previousRow = number;
        row.Row = number;
        row.Cells.Clear();
        row.LastUsedColumn = 0;
        if (xml.IsEmptyElement) return;
        int depth = xml.Depth, previousColumn = 0;
        bool ordered = true;
        while (xml.Read() && xml.Depth > depth)
        {
            if (xml.NodeType != XmlNodeType.Element || !ReferenceEquals(xml.LocalName, nameC)) continue;
            var cell = ReadCell(number, previousColumn + 1);
            if (cell.Column <= previousColumn) ordered = false;
            previousColumn = cell.Column;
            if (!cell.IsUsed) continue;
            row.Cells.Add(cell);
            row.LastUsedColumn = Math.Max(row.LastUsedColumn, cell.Column);
        }

        if (!ordered)
        {
            // Out of order or repeated references (hand-made files): column order, the last cell of a column wins.
            var byColumn = new SortedDictionary<int, XlsxCell>();
            foreach (var cell in row.Cells) byColumn[cell.Column] = cell;
            row.Cells.Clear();
            row.Cells.AddRange(byColumn.Values);
        }
    }

    private XlsxCell ReadCell(int rowNumber, int defaultColumn)
    {
        int column = defaultColumn;
        string? type = null, style = null;
        if (xml.GetAttribute(nameR) is { } reference && XlsxWorkbook.TryParseReference(reference, out _, out var c)) column = c;
        type = xml.GetAttribute(nameT);
        style = xml.GetAttribute(nameS);
        string? value = null, formula = null, inline = null;
        if (!xml.IsEmptyElement)
        {
            int depth = xml.Depth;
            while (xml.Read() && xml.Depth > depth)
            {
                if (xml.NodeType != XmlNodeType.Element) continue;
                var name = xml.LocalName;
                if (ReferenceEquals(name, nameV)) value = xml.IsEmptyElement ? "" : XlsxWorkbook.ReadContent(xml);
                else if (ReferenceEquals(name, nameF)) formula = ReadFormula(rowNumber, column);
                else if (ReferenceEquals(name, nameIs)) inline = XlsxWorkbook.ReadRichText(xml, sharedString: false);
            }
        }

        if (formula is not null) return new XlsxCell(column, "", false, formula, false);
        switch (type)
        {
            case "e":
                return new XlsxCell(column, string.IsNullOrEmpty(value) ? "#ERROR" : value, false, null, true);
            case "s":
                var strings = workbook.SharedStrings;
                return new XlsxCell(column,
                    value is not null && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) && index >= 0 && index < strings.Length ? strings[index] : "",
                    false, null, false);
            case "inlineStr":
                return new XlsxCell(column, inline ?? "", false, null, false);
            case "str":
                return new XlsxCell(column, XlsxWorkbook.ClosedXmlGetString(value ?? ""), false, null, false);
            case "b":
                return new XlsxCell(column, value switch { null or "" => "", "0" => "false", "1" => "true", _ => bool.TryParse(value, out var b) ? (b ? "true" : "false") : "true" }, false, null, false);
            case "d":
                return new XlsxCell(column, string.IsNullOrWhiteSpace(value) ? "" : IsoDate(value), false, null, false);
            default:
                if (string.IsNullOrWhiteSpace(value)) return new XlsxCell(column, "", false, null, false);
                return Numeric(column, value, style);
        }
    }

    /// <summary>A number cell as ClosedXML showed it: by its style, a number ("R"), a date, a time span or (format 49) text.</summary>
    private XlsxCell Numeric(int column, string value, string? style)
    {
        var number = double.Parse(value, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        var kinds = workbook.StyleKinds;
        var kind = XlsxNumberKind.Number;
        if (kinds is not null)
        {
            int styleIndex = style is not null && int.TryParse(style, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
            if (styleIndex >= 0 && styleIndex < kinds.Length) kind = kinds[styleIndex];
        }

        switch (kind)
        {
            case XlsxNumberKind.DateTime when number > -657435.0 && number < 2958466.0:
                var date = DateTime.FromOADate(number);
                if (workbook.Date1904) date = date.AddDays(1462);
                return new XlsxCell(column, date.TimeOfDay == TimeSpan.Zero
                    ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                    : date.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), false, null, false);
            case XlsxNumberKind.TimeSpan:
                var span = TimeSpan.FromMilliseconds(Math.Round(TimeSpan.FromDays(number).TotalMilliseconds));
                return new XlsxCell(column, span.ToString("c", CultureInfo.InvariantCulture), false, null, false);
            case XlsxNumberKind.Text:
                return new XlsxCell(column, number.ToString(CultureInfo.InvariantCulture), false, null, false);
            default:
                return new XlsxCell(column, number.ToString("R", CultureInfo.InvariantCulture), true, null, false);
        }
    }

    private static string IsoDate(string value)
    {
        if (!DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var date)) return value;
        return date.TimeOfDay == TimeSpan.Zero
            ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : date.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The formula of the current <c>f</c> element; a shared formula's child cells (no text, only <c>si</c>) name the
    /// formula of the cell that defines it. Null for an empty, unshared <c>f</c> (no formula, as ClosedXML read it).
    /// </summary>
    private string? ReadFormula(int rowNumber, int column)
    {
        var shared = xml.GetAttribute(nameSi);
        var isArray = xml.GetAttribute(nameT) == "array";
        var hasRange = xml.GetAttribute(nameRef) is not null;
        var text = xml.IsEmptyElement ? "" : XlsxWorkbook.ReadContent(xml);
        if (isArray && text.Length > 0) text = "{" + text + "}";
        if (shared is not null)
        {
            if (text.Length > 0 && hasRange)
            {
                sharedFormulas[shared] = (text, rowNumber, column);
                return text;
            }

            if (sharedFormulas.TryGetValue(shared, out var master))
                return string.Create(CultureInfo.InvariantCulture, $"{master.Formula}, shared from {TabularReader.CellReference(master.Row, master.Column)}");
            return text.Length > 0 ? text : "shared formula";
        }

        return string.IsNullOrWhiteSpace(text) ? null : text;
    }

    public void Dispose() => xml.Dispose();
}
