using System.Globalization;
using System.Text;

namespace ContributionIndex.Rendering;

/// <summary>RFC 4180 field quoting, formula-injection escaping of text and invariant round-trip numbers.</summary>
internal static class CsvText
{
    /// <summary>UTF-8 without byte-order mark: the SDMX-CSV and tidy CSV outputs are read by machines.</summary>
    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// A text field made safe for spreadsheets: a value starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or
    /// carriage return is prefixed with an apostrophe (OWASP CSV injection advice) so it is never run as a formula.
    /// </summary>
    public static string SafeText(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    /// <summary>Quotes a field when it contains the separator, a quote or a line break (RFC 4180).</summary>
    public static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;

    /// <summary>A text field: escaped, then quoted as needed.</summary>
    public static string TextField(string text) => Quote(SafeText(text));

    /// <summary>A number in invariant culture with full round-trip precision.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Writes one record terminated by LF.</summary>
    public static void WriteRecord(TextWriter writer, IEnumerable<string> fields)
    {
        writer.Write(string.Join(',', fields));
        writer.Write('\n');
    }
}
