using System.Globalization;
using System.Text;

namespace ContributionIndex.IO;

/// <summary>
/// The CSV text policy of every CSV file the toolkit writes (methodology/reporting.md, "CSV text policy"): comma
/// separated; a text field that starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return gets a
/// leading apostrophe, so that a spreadsheet never runs it as a formula (OWASP CSV injection advice); a field is quoted
/// as RFC 4180 says when it holds the separator, a quote, a carriage return or a line feed, and also when it starts or
/// ends with a space (which some readers trim); numbers are written in the invariant culture with full round-trip
/// precision ("R"), and a non-finite number (NaN, ±∞) as an empty field.
/// </summary>
/// <remarks>
/// The byte-level CSV writer of valued_records.csv (<c>CsvRowWriter.TextUtf8</c>) copies a UTF-8 field as it is exactly
/// when <see cref="IsPlain(ReadOnlySpan{byte})"/> says so; a property test checks that it writes the bytes of
/// <see cref="Text"/>.
/// </remarks>
public static class CsvText
{
    /// <summary>The field separator.</summary>
    public const char Separator = ',';

    /// <summary>Whether a spreadsheet would read text with this first character as a formula: <c>= + - @</c>, tab or carriage return.</summary>
    public static bool StartsFormula(char first) => first is '=' or '+' or '-' or '@' or '\t' or '\r';

    /// <summary>Whether a field must be quoted (RFC 4180): it holds a comma, a quote, CR or LF, or starts or ends with a space.</summary>
    public static bool NeedsQuotes(ReadOnlySpan<char> field) =>
        field.IndexOfAny(",\"\r\n") >= 0 || (field.Length > 0 && (field[0] == ' ' || field[^1] == ' '));

    /// <summary>
    /// Whether the UTF-8 text <paramref name="utf8"/> is written as it is by <see cref="Text"/>: it starts no formula and
    /// needs no quotes (every byte these rules look at is ASCII, so the bytes decide as the characters would).
    /// </summary>
    public static bool IsPlain(ReadOnlySpan<byte> utf8) =>
        utf8.IsEmpty || (!StartsFormula((char)utf8[0]) && utf8[0] != (byte)' ' && utf8[^1] != (byte)' ' && utf8.IndexOfAny(",\"\r\n"u8) < 0);

    /// <summary>Quotes a field as RFC 4180 requires (<see cref="NeedsQuotes"/>), doubling the quotes inside; else returns it unchanged.</summary>
    public static string Quote(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return NeedsQuotes(field) ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }

    /// <summary>The text with an apostrophe before it when it starts like a formula (<see cref="StartsFormula"/>); else unchanged.</summary>
    public static string Guard(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length > 0 && StartsFormula(value[0]) ? "'" + value : value;
    }

    /// <summary>A text field: <see cref="Guard"/>, then <see cref="Quote"/> (null is an empty field).</summary>
    public static string Text(string? value) => string.IsNullOrEmpty(value) ? string.Empty : Quote(Guard(value));

    /// <summary>A number: invariant culture, round-trip ("R"); NaN and ±∞ are an empty field.</summary>
    public static string Number(double value) => double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : string.Empty;

    /// <summary>A number as <see cref="Number(double)"/>, or an empty field when null.</summary>
    public static string Number(double? value) => value is { } v ? Number(v) : string.Empty;

    /// <summary>An integer in the invariant culture, or an empty field when null.</summary>
    public static string Integer(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    /// <summary>Writes one record of fields already made by this policy, separated by commas and ended by <paramref name="lineEnd"/> (default LF).</summary>
    public static void WriteRecord(TextWriter writer, IEnumerable<string> fields, string lineEnd = "\n")
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(fields);
        writer.Write(string.Join(Separator, fields));
        writer.Write(lineEnd);
    }

    /// <summary>Appends one record of fields already made by this policy, separated by commas and ended by <paramref name="lineEnd"/> (default LF).</summary>
    public static void AppendRecord(StringBuilder text, IEnumerable<string> fields, string lineEnd = "\n")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fields);
        text.AppendJoin(Separator, fields).Append(lineEnd);
    }
}
