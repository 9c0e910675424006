using System.Globalization;
using System.Text;
using System.Text.Unicode;
using ContributionIndex.Diagnostics;
using CsvHelper;

namespace ContributionIndex.Ingest;

/// <summary>
/// Streams a CSV file through CsvHelper 34's <see cref="CsvReader"/> (UTF-8 native, other encodings transcoded), with
/// the encoding and delimiter chosen here and physical line numbers from <see cref="CsvReaderOptions.TrackLineNumbers"/>.
/// </summary>
internal sealed class CsvTabularReader : TabularReader
{
    private const char Quote = '"';
    private const int MaxHeaderChars = 1 << 20;

    private readonly CsvReader csv;
    private readonly Dictionary<long, CsvMalformedRecord> malformed = [];
    private TabularRow? recycled;
    private string[]? recycledFields;
    private readonly bool checkUtf8;
    private readonly int maxRecordBytes;

    public CsvTabularReader(string filePath, TabularOptions options) : base(filePath, options)
    {
        var path = Path;
        var stream = new FileStream(filePath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        try
        {
            RefuseZip(stream, path);
            var encoding = TextEncodingDetector.Choose(stream, TabularOptions.Normalise(options.Encoding), path);
            EncodingName = encoding.Name;
            EncodingDetected = encoding.Detected;

            maxRecordBytes = options.MaxCsvRecordBytes;
            var header = ReadHeaderLine(stream, encoding, path, maxRecordBytes);
            stream.Position = 0;
            Delimiter = ChooseDelimiter(header.Text, TabularOptions.Normalise(options.Delimiter), path, header.Line);
            HeaderLine = header.Line;

            var isUtf8 = encoding.Encoding is UTF8Encoding;
            checkUtf8 = isUtf8;
            csv = CsvReader.Create(stream, new CsvReaderOptions
            {
                Separator = header.SeparatorHint ? null : Delimiter,
                DetectSeparatorHint = header.SeparatorHint,
                HasHeader = true,
                Mode = CsvMode.Rfc4180,
                AllowLineBreaksInQuotes = true,
                SkipEmptyLines = true,
                TrackLineNumbers = true,
                MalformedData = CsvMalformedDataHandling.Recover,
                FieldCountMismatch = CsvFieldCountHandling.Allow,
                MissingField = CsvMissingFieldHandling.ReturnEmpty,
                // Under ParallelRows the scanning thread records while the consumer takes: hence the lock.
                OnMalformedRecord = record =>
                {
                    lock (malformed) malformed[record.LineNumber] = record;
                },
                Encoding = isUtf8 ? null : encoding.Encoding,
                // Codes, dates, hours and person ids repeat from row to row: one string per distinct value and column
                // instead of one per cell (CsvHelper switches pooling off by itself for columns of unique values).
                PoolStrings = true,
                MaxRecordSize = options.MaxCsvRecordBytes,
            }, leaveOpen: false);

            try
            {
                var headers = csv.Headers.ToArray();
                if (headers.Length > 0 && headers[0].StartsWith('\uFEFF')) headers[0] = headers[0][1..];
                Headers = headers;
            }
            catch (CsvFormatException ex)
            {
                throw new InputDataException(Locate(ex.LineNumber > 0 ? ex.LineNumber : HeaderLine, 0), $"the header line cannot be read: {Diagnostics.MessageText.Excerpt(ex.Message.Split('\n')[0])}",
                    "Check the quoting of the header line.", ex);
            }

            if (malformed.Remove(HeaderLine, out var bad)) ThrowOrProblem(bad, HeaderLine, isHeader: true);
        }
        catch
        {
            csv?.Dispose();
            stream.Dispose();
            throw;
        }
    }

    public override string Format => "csv";

    private static void RefuseZip(Stream stream, string path)
    {
        Span<byte> magic = stackalloc byte[4];
        var n = stream.Read(magic);
        stream.Position = 0;
        if (n == 4 && magic.SequenceEqual("PK\u0003\u0004"u8))
        {
            throw new InputDataException(SourceLocation.OfFile(path), "the file is a zip archive (such as an XLSX workbook), not CSV text.",
                "Name it .xlsx or declare format: xlsx; or export the sheet as CSV.");
        }
    }

    private readonly record struct HeaderText(string Text, long Line, bool SeparatorHint);

    /// <summary>Reads the first non-blank line (the header), skipping an Excel <c>sep=X</c> hint line, for delimiter detection.</summary>
    private static HeaderText ReadHeaderLine(Stream stream, TextEncodingDetector.Choice encoding, string path, int maxChars)
    {
        stream.Position = encoding.BomLength;
        using var text = new StreamReader(stream, encoding.Encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024, leaveOpen: true);
        long line = 0;
        var hint = false;
        while (true)
        {
            var current = ReadBoundedLine(text, maxChars, path, line + 1);
            if (current is null)
            {
                throw new InputDataException(SourceLocation.OfFile(path), hint ? "the file has a separator hint line but no header line." : "the file is empty.",
                    "Export the table with a header line naming the columns.");
            }

            line++;
            if (line == 1 && current.StartsWith('\uFEFF')) current = current[1..];
            if (string.IsNullOrWhiteSpace(current)) continue;
            if (!hint && line == 1 && current.Length == 5 && current.StartsWith("sep=", StringComparison.OrdinalIgnoreCase))
            {
                hint = true;
                continue;
            }

            // A quoted header name may contain a line break: keep reading until the quotes balance.
            var builder = new StringBuilder(current);
            while (CountQuotes(builder) % 2 == 1 && builder.Length < MaxHeaderChars)
            {
                var next = ReadBoundedLine(text, maxChars, path, line + 1);
                if (next is null) break;
                builder.Append('\n').Append(next);
            }

            return new HeaderText(builder.ToString(), line, hint);
        }
    }

    /// <summary><see cref="TextReader.ReadLine"/> that refuses a line longer than <paramref name="maxChars"/> instead of filling memory.</summary>
    private static string? ReadBoundedLine(StreamReader text, int maxChars, string path, long line)
    {
        var builder = new StringBuilder();
        while (true)
        {
            var c = text.Read();
            if (c < 0) return builder.Length == 0 ? null : builder.ToString();
            if (c == '\n') return builder.ToString();
            if (c == '\r')
            {
                if (text.Peek() == '\n') text.Read();
                return builder.ToString();
            }

            if (builder.Length >= maxChars)
            {
                throw new InputDataException(new SourceLocation(path, line, 0),
                    $"the line is longer than {maxChars.ToString(CultureInfo.InvariantCulture)} characters (the record size limit).",
                    "Check that the file is CSV text with line ends.");
            }

            builder.Append((char)c);
        }
    }

    private static int CountQuotes(StringBuilder text)
    {
        var n = 0;
        foreach (var chunk in text.GetChunks()) n += chunk.Span.Count(Quote);
        return n;
    }

    /// <summary>The declared delimiter, or the one of <c>,</c> <c>;</c> tab that occurs most often outside quotes in the header.</summary>
    private static char ChooseDelimiter(string header, string declared, string path, long headerLine)
    {
        switch (declared)
        {
            case ",": return ',';
            case ";": return ';';
            case "tab": return '\t';
            case "auto": break;
            default:
                throw new InputDataException(SourceLocation.OfFile(path), $"unknown delimiter '{declared}'.",
                    $"Use one of: {string.Join(", ", TabularOptions.DelimiterChoices)}.");
        }

        int commas = 0, semicolons = 0, tabs = 0;
        var quoted = false;
        foreach (var c in header)
        {
            if (c == Quote) quoted = !quoted;
            else if (quoted) continue;
            else if (c == ',') commas++;
            else if (c == ';') semicolons++;
            else if (c == '\t') tabs++;
        }

        var max = Math.Max(commas, Math.Max(semicolons, tabs));
        if (max == 0) return ','; // a single column
        var winners = (commas == max ? 1 : 0) + (semicolons == max ? 1 : 0) + (tabs == max ? 1 : 0);
        if (winners > 1)
        {
            throw new InputDataException(new SourceLocation(path, headerLine, 0),
                $"the delimiter cannot be detected: the header line has {commas} commas, {semicolons} semicolons and {tabs} tabs.",
                "Declare the delimiter (delimiter: ',', ';' or tab).");
        }

        return commas == max ? ',' : semicolons == max ? ';' : '\t';
    }

    private protected override IEnumerable<TabularRow> ReadRawRows()
    {
        var expected = Headers.Count;
        while (Read())
        {
            var line = csv.LineNumber;
            var count = csv.FieldCount;
            if (count == 1 && string.IsNullOrWhiteSpace(csv.GetString(0)) && expected != 1) continue; // a line of blanks

            if (checkUtf8 && !Utf8.IsValid(csv.RawRecord)) throw InvalidUtf8(line, FirstInvalidUtf8Field(csv));

            // A recycled row keeps its field array when the next row has as many fields (see RecycleRows).
            var fields = RecyclingRows && recycledFields is { } last && last.Length == count ? last : new string[count];
            for (var i = 0; i < count; i++) fields[i] = csv.GetString(i);
            var problems = ProblemsOf(line, fields, expected);

            // (A bare [] here would be a new List per row: the conditional would take problems' type.)
            var rowProblems = problems is null ? (IReadOnlyList<TabularProblem>)[] : problems;
            if (!RecyclingRows)
            {
                yield return CreateRow(line, fields, rowProblems);
                continue;
            }

            if (recycled is null) recycled = CreateRow(line, fields, rowProblems);
            else
            {
                CheckFieldSizes(line, fields);
                recycled.Reset(line, fields, rowProblems, null);
            }
            recycledFields = fields;
            yield return recycled;
        }
    }

    /// <summary>The problems of a row as read (a quoting problem recorded by the parser, a ragged row), or null.</summary>
    private List<TabularProblem>? ProblemsOf(long line, string[] fields, int expected)
    {
        var count = fields.Length;
        List<TabularProblem>? problems = null;
        CsvMalformedRecord bad = default;
        var hasBad = false;
        // The parser records a problem before the row reaches anyone, so a count of 0 read without the lock is safe.
        if (malformed.Count > 0)
        {
            lock (malformed)
            {
                hasBad = malformed.Remove(line, out bad);
            }
        }

        if (hasBad)
        {
            var problem = ThrowOrProblem(bad, line, isHeader: false);
            if (problem is not null) (problems ??= []).Add(problem);
        }

        if (count != expected)
        {
            var column = count > expected ? expected + 1 : count + 1;
            (problems ??= []).Add(new TabularProblem(column, "row.ragged",
                $"the row has {count} fields but the header has {expected}; a delimiter inside an unquoted value, or a missing or extra field, shifts the columns.",
                count > expected ? fields[expected] : null));
        }

        return problems;
    }

    /// <summary>Whether the parser hands out UTF-8 that must be checked (a UTF-8 file; other encodings are transcoded).</summary>
    internal bool ChecksUtf8 => checkUtf8;

    /// <summary>
    /// Maps the data rows with <paramref name="selector"/> on every core through CsvHelper's ParallelEnumerate, in file
    /// order, for the hour-log fast path (methodology/scale.md §9). The selector sees the parser on one record and must
    /// not keep its spans; rows that it cannot handle are rebuilt with <see cref="RowFrom"/>. Call after
    /// <see cref="TabularReader.BeginFastRows"/>.
    /// </summary>
    internal IEnumerable<T> ParallelRows<T>(Func<CsvReader, T> selector) => csv.ParallelEnumerate(selector, -1);

    /// <summary>Wraps the enumeration of <see cref="ParallelRows"/> so that a parse failure is reported as ReadRawRows reports it.</summary>
    internal bool MoveNext<T>(IEnumerator<T> rows)
    {
        try
        {
            return rows.MoveNext();
        }
        catch (CsvFormatException ex)
        {
            throw Unreadable(ex);
        }
    }

    /// <summary>The row as <see cref="ReadRawRows"/> would have handed it out, from its line and field strings.</summary>
    internal TabularRow RowFrom(long line, string[] fields)
    {
        var problems = ProblemsOf(line, fields, Headers.Count);
        return CreateRow(line, fields, problems is null ? [] : problems);
    }

    /// <summary>The error for a line that is not valid UTF-8 (1-based <paramref name="column"/> of the first bad field, 0 if unknown).</summary>
    internal InputDataException InvalidUtf8(long line, int column) =>
        new(Locate(line, column), "the line is not valid UTF-8 text.",
            "Declare the file's encoding (encoding: windows-1251 for Russian-locale exports), or save it as UTF-8.");

    private bool Read()
    {
        try
        {
            return csv.Read();
        }
        catch (CsvFormatException ex)
        {
            throw Unreadable(ex);
        }
    }

    private InputDataException Unreadable(CsvFormatException ex) => ex.Message.Contains("MaxRecordSize", StringComparison.Ordinal) || ex.Message.Contains("record size", StringComparison.OrdinalIgnoreCase)
        ? new(Locate(ex.LineNumber, 0), $"the record is longer than {maxRecordBytes.ToString(CultureInfo.InvariantCulture)} bytes (the record size limit).",
            "Check that the file is CSV text with line ends, and that no quote is left open.", ex)
        : new(Locate(ex.LineNumber, 0), $"the file cannot be read as CSV: {ex.Message}", "Check the quoting near that line.", ex);

    /// <summary>The 1-based field of the first invalid UTF-8 bytes in the parser's current record, 0 when none is found.</summary>
    internal static int FirstInvalidUtf8Field(CsvReader csv)
    {
        for (var i = 0; i < csv.FieldCount; i++)
        {
            if (!Utf8.IsValid(csv.GetRawSpan(i))) return i + 1;
        }

        return 0;
    }

    /// <summary>
    /// An unterminated quote is fatal (it swallows the rest of the file); text after a closing quote is a row problem;
    /// a quote inside an unquoted value is kept as text (common in activity descriptions) and not reported.
    /// </summary>
    private TabularProblem? ThrowOrProblem(CsvMalformedRecord record, long line, bool isHeader)
    {
        var raw = record.RawRecord ?? "";
        var column = QuoteProblemColumn(raw, Delimiter ?? ',');
        switch (record.Reason)
        {
            case CsvMalformedReason.UnterminatedQuote:
                throw new InputDataException(Locate(line, column), "a quoted value opened here is never closed, so the rest of the file would be read as one value.",
                    "Close the quote, or double every quote inside a quoted value (\"\").");
            case CsvMalformedReason.TextAfterClosingQuote when isHeader:
                throw new InputDataException(Locate(line, column), "the header has text after the closing quote of a quoted name.",
                    "Quote the whole name and double the quotes inside it (\"\").");
            case CsvMalformedReason.TextAfterClosingQuote:
            {
                // A stray quote is closed by the next quoted value, possibly lines later: say which lines were joined.
                var lastLine = line + raw.AsSpan().TrimEnd("\r\n").Count('\n');
                var joined = lastLine > line
                    ? string.Create(CultureInfo.InvariantCulture, $" The quote joined lines {line}–{lastLine} into this one row; close or remove the stray quote.")
                    : "";
                return new TabularProblem(column, "row.quote", "the value has text after its closing quote, so its extent is unclear." + joined,
                    Excerpt(raw));
            }
            default:
                return null;
        }
    }

    private static string Excerpt(string raw) => raw.Length <= 200 ? raw : raw[..200];

    /// <summary>The 1-based field of the first quoting problem in a raw record (an unclosed quote or text after a closing quote).</summary>
    internal static int QuoteProblemColumn(string raw, char separator)
    {
        var column = 1;
        var i = 0;
        while (i <= raw.Length)
        {
            if (i < raw.Length && raw[i] == Quote)
            {
                i++;
                while (true)
                {
                    if (i >= raw.Length) return column; // never closed
                    if (raw[i] == Quote)
                    {
                        if (i + 1 < raw.Length && raw[i + 1] == Quote)
                        {
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    i++;
                }

                if (i < raw.Length && raw[i] != separator && raw[i] != '\r' && raw[i] != '\n') return column; // text after closing quote
            }

            while (i < raw.Length && raw[i] != separator) i++;
            if (i >= raw.Length) break;
            i++;
            column++;
        }

        return column;
    }

    private protected override void DisposeCore() => csv.Dispose();
}
