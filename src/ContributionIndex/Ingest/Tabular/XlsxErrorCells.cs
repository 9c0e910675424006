using System.IO.Compression;
using System.Xml;

namespace ContributionIndex.Ingest;

/// <summary>
/// Finds the error cells (<c>t="e"</c>, such as <c>#N/A</c>) of one sheet by reading its XML directly: ClosedXML 0.95
/// loads them as empty cells, which would silently turn an error into a missing value.
/// </summary>
internal static class XlsxErrorCells
{
    private const string RelationshipsNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /// <summary>Error cells of the named sheet, keyed by (1-based row, 1-based column), with their error text.</summary>
    public static Dictionary<(int Row, int Column), string> Find(string path, string sheetName)
    {
        var result = new Dictionary<(int Row, int Column), string>();
        using var zip = ZipFile.OpenRead(path);
        var part = SheetPart(zip, sheetName);
        var entry = part is null ? null : zip.GetEntry(part);
        if (entry is null) return result;

        using var stream = entry.Open();
        using var xml = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreWhitespace = true });
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "c" || xml.GetAttribute("t") != "e") continue;
            var reference = xml.GetAttribute("r");
            if (reference is null || !TryParseReference(reference, out var row, out var column)) continue;
            var value = "#ERROR";
            if (!xml.IsEmptyElement)
            {
                var depth = xml.Depth;
                while (xml.Read() && xml.Depth > depth)
                {
                    if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "v")
                    {
                        value = xml.ReadElementContentAsString();
                        break;
                    }
                }
            }

            result[(row, column)] = value;
        }

        return result;
    }

    /// <summary>The zip path of a sheet's XML part, from xl/workbook.xml and its relationships.</summary>
    private static string? SheetPart(ZipArchive zip, string sheetName)
    {
        string? relationshipId = null;
        var workbook = zip.GetEntry("xl/workbook.xml");
        if (workbook is null) return null;
        using (var stream = workbook.Open())
        using (var xml = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit }))
        {
            while (xml.Read())
            {
                if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "sheet" && xml.GetAttribute("name") == sheetName)
                {
                    relationshipId = xml.GetAttribute("id", RelationshipsNs);
                    break;
                }
            }
        }

        var relationships = zip.GetEntry("xl/_rels/workbook.xml.rels");
        if (relationshipId is null || relationships is null) return null;
        using (var stream = relationships.Open())
        using (var xml = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit }))
        {
            while (xml.Read())
            {
                if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "Relationship" && xml.GetAttribute("Id") == relationshipId)
                {
                    var target = xml.GetAttribute("Target") ?? "";
                    return target.StartsWith('/') ? target[1..] : "xl/" + target;
                }
            }
        }

        return null;
    }

    internal static bool TryParseReference(string reference, out int row, out int column)
    {
        row = 0;
        column = 0;
        var i = 0;
        for (; i < reference.Length && char.IsAsciiLetter(reference[i]); i++)
            column = column * 26 + (char.ToUpperInvariant(reference[i]) - 'A' + 1);
        if (i == 0 || i == reference.Length) return false;
        for (; i < reference.Length; i++)
        {
            if (!char.IsAsciiDigit(reference[i])) return false;
            row = row * 10 + (reference[i] - '0');
        }

        return row > 0;
    }
}
