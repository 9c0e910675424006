using System.Globalization;
using ContributionIndex.Diagnostics;

namespace ContributionIndex.Ingest;

/// <summary>
/// A streaming reader of one tabular file (CSV or XLSX), opened by <see cref="TabularFile.Open"/>: the header, then the
/// data rows one at a time with their physical line numbers. Rows are read once; dispose the reader when done.
/// </summary>
public abstract class TabularReader : IDisposable
{
    private readonly Queue<TabularRow> lookahead = new();
    private IEnumerator<TabularRow>? source;
    private NumberFormat? numberFormat;
    private HashSet<int>? numericColumns;
    private bool rowsStarted;
    private bool recycleRequested;
    private bool disposed;

    private protected TabularReader(string path, TabularOptions options)
    {
        FilePath = path;
        Path = string.IsNullOrEmpty(options.DisplayName) ? path : options.DisplayName;
        Options = options;
    }

    /// <summary>The file as messages name it: <see cref="TabularOptions.DisplayName"/>, or the path as the user gave it.</summary>
    public string Path { get; }

    /// <summary>The path the file was opened from.</summary>
    public string FilePath { get; }

    /// <summary>The options the file was opened with.</summary>
    public TabularOptions Options { get; }

    /// <summary><c>csv</c> or <c>xlsx</c>.</summary>
    public abstract string Format { get; }

    /// <summary>The header names as written (not trimmed), in file order.</summary>
    public IReadOnlyList<string> Headers { get; private protected set; } = [];

    /// <summary>The 1-based physical line (CSV) or sheet row (XLSX) of the header.</summary>
    public long HeaderLine { get; private protected set; }

    /// <summary>The text encoding in use (CSV), e.g. <c>utf-8</c> or <c>windows-1251</c>; null for XLSX.</summary>
    public string? EncodingName { get; private protected set; }

    /// <summary>Whether the encoding was detected rather than declared (CSV).</summary>
    public bool EncodingDetected { get; private protected set; }

    /// <summary>The field delimiter in use (CSV); null for XLSX.</summary>
    public char? Delimiter { get; private protected set; }

    /// <summary>The XLSX sheet name; null for CSV.</summary>
    public string? SheetName { get; private protected set; }

    /// <summary>
    /// What a statistical file (SPSS <c>.sav</c>/<c>.zsav</c>, Stata <c>.dta</c>) says about each column, in header
    /// order: variable label, whether it is numeric, and its value labels keyed by the cell text the reader produces
    /// (<c>1</c> → <c>Мужской</c>). Empty for CSV, XLSX and Parquet.
    /// </summary>
    public IReadOnlyList<TabularVariable> Variables { get; private protected set; } = [];

    /// <summary>The column the file itself declares as the case weight (SPSS weight variable), or null.</summary>
    public string? WeightColumn { get; private protected set; }

    /// <summary>The value labels of a 0-based column (empty when it has none or the file has no labels).</summary>
    public IReadOnlyDictionary<string, string> ValueLabelsOf(int column) =>
        column >= 0 && column < Variables.Count ? Variables[column].ValueLabels : EmptyLabels;

    private static readonly IReadOnlyDictionary<string, string> EmptyLabels = new Dictionary<string, string>();

    /// <summary>
    /// How numbers written as text are formatted. With <c>decimal: auto</c> the first rows are examined (see
    /// <see cref="TabularOptions.DecimalSampleRows"/>); an undecidable or contradictory sample is an <see cref="InputDataException"/>.
    /// </summary>
    public NumberFormat NumberFormat => numberFormat ??= ResolveNumberFormat();

    /// <summary>The 0-based index of the column whose header matches <paramref name="header"/> (case-insensitive, trimmed), or -1.</summary>
    public int FindColumn(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var wanted = header.Trim();
        for (var i = 0; i < Headers.Count; i++)
        {
            if (string.Equals(Headers[i].Trim(), wanted, StringComparison.OrdinalIgnoreCase)) return i;
        }

        return -1;
    }

    /// <summary>
    /// The 0-based indexes of the columns whose headers match <paramref name="pattern"/>, in file order; <c>*</c> matches
    /// any run of characters and <c>?</c> one character, case-insensitively.
    /// </summary>
    public IReadOnlyList<int> FindColumns(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var matches = new List<int>();
        for (var i = 0; i < Headers.Count; i++)
        {
            if (Wildcard.IsMatch(Headers[i].Trim(), pattern.Trim())) matches.Add(i);
        }

        return matches;
    }

    /// <summary>Headers that appear more than once (compared case-insensitively after trimming), with their 0-based columns.</summary>
    public IReadOnlyList<(string Header, IReadOnlyList<int> Columns)> DuplicateHeaders()
    {
        var groups = new Dictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        for (var i = 0; i < Headers.Count; i++)
        {
            var key = Headers[i].Trim();
            if (key.Length == 0) continue;
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
                order.Add(key);
            }

            list.Add(i);
        }

        return [.. order.Where(k => groups[k].Count > 1).Select(k => (k, (IReadOnlyList<int>)groups[k]))];
    }

    /// <summary>
    /// Restricts decimal-separator detection to these 0-based columns (the ones read as numbers), so that text columns
    /// such as dates (<c>01.2023</c>) or codes are not taken as evidence. Call before reading rows.
    /// </summary>
    public void SampleNumbersOnlyIn(IEnumerable<int> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (numberFormat is not null || rowsStarted)
            throw new InvalidOperationException("Numeric columns must be set before the number format is resolved or rows are read.");
        numericColumns = [.. columns];
    }

    /// <summary>
    /// Tells the reader which 0-based columns the consumer reads: the binary readers (SPSS, Stata) then decode only those
    /// and hand out the others as empty (300-variable survey files are mapped through two dozen). Call before reading rows.
    /// </summary>
    internal void ReadOnlyColumns(IEnumerable<int> columns)
    {
        if (rowsStarted) throw new InvalidOperationException("The columns to read must be set before rows are read.");
        var wanted = new bool[Headers.Count];
        foreach (var column in columns)
        {
            if (column >= 0 && column < wanted.Length) wanted[column] = true;
        }

        WantedColumns = wanted;
    }

    /// <summary>The columns the consumer reads (see <see cref="ReadOnlyColumns"/>), or null for all.</summary>
    private protected bool[]? WantedColumns { get; private set; }

    /// <summary>A location in this file for messages and quarantine rows; column is 1-based (0 for the whole row).</summary>
    public SourceLocation Locate(long line, int column)
    {
        var name = column >= 1 && column <= Headers.Count ? Headers[column - 1].Trim() : null;
        return new SourceLocation(Path, line, column, name);
    }

    /// <summary>How a column is named in messages: the spreadsheet cell reference for XLSX (<c>C7</c>), the 1-based field number for CSV.</summary>
    public string DescribeCell(long line, int column) =>
        Format == "xlsx" ? CellReference(line, column) : string.Create(CultureInfo.InvariantCulture, $"line {line}, field {column}");

    /// <summary>The A1 reference of a cell (1-based row and column), e.g. <c>AB12</c>.</summary>
    public static string CellReference(long row, int column)
    {
        var letters = new Stack<char>();
        for (var n = column; n > 0; n = (n - 1) / 26) letters.Push((char)('A' + ((n - 1) % 26)));
        return string.Create(CultureInfo.InvariantCulture, $"{new string([.. letters])}{row}");
    }

    /// <summary>
    /// Lets the reader hand out the same row object and field array again for the next row once the rows buffered for
    /// the number-format detection are through. Only for a consumer that keeps neither the row nor its field list after
    /// asking for the next row (field strings themselves are never reused); it saves two allocations per row.
    /// </summary>
    internal void RecycleRows() => recycleRequested = true;

    /// <summary>Whether the reader may refill the row it handed out last (set once the buffered rows are through).</summary>
    private protected bool RecyclingRows { get; private set; }

    /// <summary>
    /// Streams the data rows in file order. Can be enumerated once. Throws <see cref="InputDataException"/> for a file
    /// that cannot be read at all (unterminated quote, invalid encoding, no data rows unless allowed).
    /// </summary>
    public IEnumerable<TabularRow> ReadRows()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (rowsStarted) throw new InvalidOperationException("The rows of a tabular file can be read only once.");
        rowsStarted = true;
        return Enumerate();
    }

    private IEnumerable<TabularRow> Enumerate()
    {
        // Resolve the number format first so that every row, including those already buffered, parses the same way.
        _ = NumberFormat;
        long count = 0;
        while (lookahead.Count > 0)
        {
            count++;
            yield return lookahead.Dequeue();
        }

        var rows = Source();
        RecyclingRows = recycleRequested;
        while (rows.MoveNext())
        {
            count++;
            yield return rows.Current;
        }

        EnsureDataRows(count);
    }

    /// <summary>
    /// Starts reading the rows outside <see cref="ReadRows"/> (the hour-log fast path reads the parser directly): resolves
    /// the number format and returns the rows its detection buffered, which come first.
    /// </summary>
    internal IReadOnlyList<TabularRow> BeginFastRows()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (rowsStarted) throw new InvalidOperationException("The rows of a tabular file can be read only once.");
        rowsStarted = true;
        _ = NumberFormat;
        var buffered = lookahead.ToList();
        lookahead.Clear();
        return buffered;
    }

    /// <summary>The error for a file with a header and no data rows (unless <see cref="TabularOptions.AllowNoDataRows"/>).</summary>
    internal void EnsureDataRows(long count)
    {
        if (count == 0 && !Options.AllowNoDataRows)
            throw new InputDataException(Locate(HeaderLine, 0), "the file has a header line but no data rows.",
                "Export the data rows too, or check that the right file or sheet is named.");
    }

    private IEnumerator<TabularRow> Source() => source ??= ReadRawRows().GetEnumerator();

    private NumberFormat ResolveNumberFormat()
    {
        var thousands = Options.ThousandsChar;
        var declared = Options.DecimalChar;
        if (declared is { } d)
        {
            if (thousands == d)
                throw new InputDataException(SourceLocation.OfFile(Path), $"the decimal and thousands separators are both '{d}'.",
                    "Declare different separators (decimal: ',' with thousands: space is the Russian convention).");
            return new NumberFormat(d, thousands, Detected: false);
        }

        // A declared thousands separator of ',' or '.' leaves only the other one for decimals.
        if (thousands == ',') return new NumberFormat('.', thousands, Detected: false);
        if (thousands == '.') return new NumberFormat(',', thousands, Detected: false);

        var detector = new DecimalSeparatorDetector(thousands, onlyAllNumericColumns: numericColumns is null);
        var rows = Source();
        while (lookahead.Count < Options.DecimalSampleRows && rows.MoveNext())
        {
            var row = rows.Current;
            lookahead.Enqueue(row);
            for (var i = 0; i < row.FieldCount; i++)
            {
                if (numericColumns is not null && !numericColumns.Contains(i)) continue;
                if (row.IsNumericCell(i)) continue;
                detector.Observe(row[i], row.Line, i + 1);
            }
        }

        var decision = detector.Decide();
        if (decision.Separator is { } separator) return new NumberFormat(separator, thousands, Detected: true);
        throw new InputDataException(decision.Line > 0 ? Locate(decision.Line, decision.Column) : SourceLocation.OfFile(Path),
            decision.Problem!, "Declare the decimal separator (decimal: '.' or ',' in the study input, or --decimal on the command line).");
    }

    /// <summary>Produces the data rows in file order (the header has been read when the reader was opened).</summary>
    private protected abstract IEnumerable<TabularRow> ReadRawRows();

    /// <summary>Creates a row that belongs to this reader.</summary>
    private protected TabularRow CreateRow(long line, string[] fields, IReadOnlyList<TabularProblem> problems, bool[]? invariantNumbers = null)
    {
        CheckFieldSizes(line, fields);
        return new(this, line, fields, problems, invariantNumbers);
    }

    /// <summary>Refuses a field longer than <see cref="TabularOptions.MaxFieldChars"/>, naming its line and column (hardening.md §1).</summary>
    private protected void CheckFieldSizes(long line, string[] fields)
    {
        var limit = Options.MaxFieldChars;
        for (var i = 0; i < fields.Length; i++)
        {
            if (fields[i] is { } field && field.Length > limit)
            {
                throw new InputDataException(Locate(line, i + 1),
                    string.Create(System.Globalization.CultureInfo.InvariantCulture, $"the field is {field.Length} characters long, more than {limit} (the field size limit)."),
                    "A field this long is a broken export (a missing line end, delimiter or closing quote); check the file around this line.");
            }
        }
    }

    /// <summary>Releases the file.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        source?.Dispose();
        DisposeCore();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the format-specific resources.</summary>
    private protected abstract void DisposeCore();
}

/// <summary>One column of a statistical file as its dictionary describes it.</summary>
/// <param name="Name">The variable name (the header).</param>
/// <param name="Label">The variable label, or null.</param>
/// <param name="IsNumeric">Whether the variable is numeric (its cells are invariant numbers or ISO dates).</param>
/// <param name="ValueLabels">Value labels keyed by the cell text of the value (<c>1</c>, <c>2.5</c>, <c>M</c>).</param>
public sealed record TabularVariable(string Name, string? Label, bool IsNumeric, IReadOnlyDictionary<string, string> ValueLabels);

/// <summary>Case-insensitive <c>*</c>/<c>?</c> wildcard matching of header names.</summary>
internal static class Wildcard
{
    public static bool IsMatch(string text, string pattern)
    {
        int t = 0, p = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(text[t])))
            {
                t++;
                p++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

    public static bool HasWildcard(string pattern) => pattern.Contains('*') || pattern.Contains('?');
}
