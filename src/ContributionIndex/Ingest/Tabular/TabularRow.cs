namespace ContributionIndex.Ingest;

/// <summary>A problem the reader found in one row (malformed quoting, a formula or error cell, a ragged row).</summary>
/// <param name="Column">1-based column of the offending field; 0 when the whole row is at fault.</param>
/// <param name="Rule">A stable rule identifier: <c>row.ragged</c>, <c>row.quote</c>, <c>cell.formula</c> or <c>cell.error</c>.</param>
/// <param name="Reason">One sentence saying what is wrong and how to fix it.</param>
/// <param name="RawValue">The offending raw text, when there is one.</param>
public sealed record TabularProblem(int Column, string Rule, string Reason, string? RawValue = null);

/// <summary>One data row of a tabular file, with its physical 1-based line (CSV) or sheet row (XLSX).</summary>
public sealed class TabularRow
{
    private readonly TabularReader owner;
    private string[] fields;
    private bool[]? invariantNumbers;

    internal TabularRow(TabularReader owner, long line, string[] fields, IReadOnlyList<TabularProblem> problems, bool[]? invariantNumbers)
    {
        this.owner = owner;
        Line = line;
        this.fields = fields;
        Problems = problems;
        this.invariantNumbers = invariantNumbers;
    }

    /// <summary>
    /// Refills a recycled row with the next row's content (readers recycle rows only for a consumer that keeps
    /// nothing of a row after asking for the next one; see <see cref="TabularReader.RecycleRows"/>).
    /// </summary>
    internal void Reset(long line, string[] newFields, IReadOnlyList<TabularProblem> problems, bool[]? numbers)
    {
        Line = line;
        fields = newFields;
        Problems = problems;
        invariantNumbers = numbers;
    }

    /// <summary>The physical 1-based line where the row starts (CSV), or the 1-based sheet row (XLSX).</summary>
    public long Line { get; private set; }

    /// <summary>The fields as read (not trimmed); fewer or more than the headers when the row is ragged.</summary>
    public IReadOnlyList<string> Fields => fields;

    /// <summary>The number of fields in the row.</summary>
    public int FieldCount => fields.Length;

    /// <summary>Problems found while reading the row; empty for a well-formed row.</summary>
    public IReadOnlyList<TabularProblem> Problems { get; private set; }

    /// <summary>The field at a 0-based index, or the empty string when the row has no such field.</summary>
    public string this[int index] => index >= 0 && index < fields.Length ? fields[index] : string.Empty;

    /// <summary>
    /// Parses the field at a 0-based index as a number with the file's number format (XLSX numeric cells are always
    /// invariant); non-finite values are reported as <see cref="NumberParseStatus.NotFinite"/>.
    /// </summary>
    public NumberParseStatus TryGetNumber(int index, out double value)
    {
        var text = this[index];
        if (invariantNumbers is not null && index < invariantNumbers.Length && invariantNumbers[index])
            return TabularNumber.Parse(text, '.', null, out value);
        var format = owner.NumberFormat;
        return TabularNumber.Parse(text, format.DecimalSeparator, format.ThousandsSeparator, out value);
    }

    /// <summary>Whether the field at a 0-based index came from a numeric spreadsheet cell (always invariant text).</summary>
    public bool IsNumericCell(int index) => invariantNumbers is not null && index < invariantNumbers.Length && invariantNumbers[index];
}

/// <summary>How numbers written as text are formatted in one file.</summary>
/// <param name="DecimalSeparator"><c>.</c> or <c>,</c>.</param>
/// <param name="ThousandsSeparator">The grouping character, <c>' '</c> for any space, or null.</param>
/// <param name="Detected">Whether the decimal separator was detected from the data rather than declared.</param>
public sealed record NumberFormat(char DecimalSeparator, char? ThousandsSeparator, bool Detected);
