using System.Text;
using ContributionIndex.Diagnostics;

namespace ContributionIndex.Indicators.Composite.Io;

/// <summary>One data row of a CSV file with its 1-based physical line number.</summary>
internal sealed record CsvRow(long Line, string[] Fields);

/// <summary>A small RFC 4180 reader (UTF-8 with or without BOM, comma-separated, quoted fields) for framework, data and unit files.</summary>
/// <remarks>Stands in until the shared <c>ContributionIndex.Ingest.TabularFile</c> reader is in main; it streams rows and
/// keeps physical line numbers so errors can name file:line:column.</remarks>
internal sealed class CsvTable
{
    private CsvTable(string path, string[] header, List<CsvRow> rows)
    {
        Path = path;
        Header = header;
        Rows = rows;
    }

    public string Path { get; }

    public string[] Header { get; }

    public IReadOnlyList<CsvRow> Rows { get; }

    /// <summary>Reads the whole file; the first record is the header.</summary>
    public static CsvTable Read(string path)
    {
        if (!File.Exists(path))
            throw new InputDataException(SourceLocation.OfFile(path), "the file does not exist.", "Check the path.");
        using var reader = new StreamReader(path, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: true);
        string text;
        try
        {
            text = reader.ReadToEnd();
        }
        catch (DecoderFallbackException ex)
        {
            throw new InputDataException(SourceLocation.OfFile(path), "the file is not valid UTF-8.", "Save it as UTF-8 (CSV UTF-8 in Excel).", ex);
        }

        var records = Parse(text, path);
        if (records.Count == 0)
            throw new InputDataException(SourceLocation.OfFile(path), "the file is empty.", "Add a header row.");
        var header = records[0].Fields.Select(h => h.Trim()).ToArray();
        return new CsvTable(path, header, records.Skip(1).Where(r => !(r.Fields.Length == 1 && r.Fields[0].Length == 0)).ToList());
    }

    /// <summary>Position of a column by (case-insensitive) name, or −1.</summary>
    public int Column(string name) => Array.FindIndex(Header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Position of a required column; throws naming the file and the expected header otherwise.</summary>
    public int RequireColumn(string name, string expectedHeader)
    {
        var index = Column(name);
        if (index < 0)
            throw new InputDataException(new SourceLocation(Path, 1, 0), $"the header has no column '{name}'.", $"The header must be '{expectedHeader}'.");
        return index;
    }

    /// <summary>The field of a row, or empty when the row is short.</summary>
    public static string Field(CsvRow row, int column) => column >= 0 && column < row.Fields.Length ? row.Fields[column].Trim() : string.Empty;

    private static List<CsvRow> Parse(string text, string path)
    {
        var records = new List<CsvRow>();
        var fields = new List<string>();
        var field = new StringBuilder();
        long line = 1, recordLine = 1;
        var inQuotes = false;
        var fieldStarted = false;
        for (var k = 0; k < text.Length; k++)
        {
            var c = text[k];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (k + 1 < text.Length && text[k + 1] == '"')
                    {
                        field.Append('"');
                        k++;
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (c == '\n') line++;
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0 && !fieldStarted:
                    inQuotes = true;
                    fieldStarted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = false;
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = false;
                    records.Add(new CsvRow(recordLine, [.. fields]));
                    fields.Clear();
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }

        if (inQuotes)
            throw new InputDataException(new SourceLocation(path, recordLine, fields.Count + 1), "a quoted field is not closed.", "Close the quote or remove it.");
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add(new CsvRow(recordLine, [.. fields]));
        }

        return records;
    }
}
