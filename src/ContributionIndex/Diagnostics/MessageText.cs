using System.Globalization;
using System.Text;

namespace ContributionIndex.Diagnostics;

/// <summary>
/// The one escaping rule for text that reaches a terminal or a message: control characters (C0, DEL, C1, line and
/// paragraph separators) are written as escapes (<c>\n</c>, <c>\t</c>, <c>\e</c>, <c>\u0085</c> …) so that data can
/// neither move the cursor, recolour the terminal nor forge a line; quoted file content is also cut to a bounded excerpt.
/// </summary>
public static class MessageText
{
    /// <summary>The most characters of file content an error message quotes (<see cref="Excerpt"/>).</summary>
    public const int MaxExcerptLength = 80;

    /// <summary>Returns <paramref name="text"/> with every control character escaped; other text is unchanged.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var clean = true;
        foreach (var c in text)
            if (NeedsEscape(c)) { clean = false; break; }
        if (clean) return text;

        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text) AppendEscaped(builder, c);
        return builder.ToString();
    }

    /// <summary>
    /// Returns at most <paramref name="maxLength"/> characters of <paramref name="text"/>, escaped, with "…" and the
    /// full length when it was cut: the bounded form in which a message quotes file content.
    /// </summary>
    public static string Excerpt(string? text, int maxLength = MaxExcerptLength)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (text.Length <= maxLength) return Escape(text);
        var cut = maxLength;
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1])) cut--;
        return Escape(text[..cut]) + string.Create(CultureInfo.InvariantCulture, $"… ({text.Length} characters)");
    }

    private static bool NeedsEscape(char c) => c < 0x20 || c is >= '\u007F' and <= '\u009F' || c is '\u2028' or '\u2029';

    private static void AppendEscaped(StringBuilder builder, char c)
    {
        if (!NeedsEscape(c)) { builder.Append(c); return; }
        switch (c)
        {
            case '\n': builder.Append("\\n"); break;
            case '\r': builder.Append("\\r"); break;
            case '\t': builder.Append("\\t"); break;
            case '\u001B': builder.Append("\\e"); break;
            default: builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)); break;
        }
    }
}
