using System.Globalization;

namespace ContributionIndex.Ingest;

/// <summary>The outcome of parsing a number from input text.</summary>
public enum NumberParseStatus
{
    /// <summary>A finite number was read.</summary>
    Ok = 0,

    /// <summary>The text is empty or white space only (a missing value, not an error by itself).</summary>
    Empty = 1,

    /// <summary>The text is not a number in the declared format.</summary>
    Invalid = 2,

    /// <summary>The text is NaN or infinite (spelled out, or a number too large for a double).</summary>
    NotFinite = 3,
}

/// <summary>
/// Parses numbers written with a declared decimal separator and optional thousands separator
/// (e.g. Russian-locale <c>1 234,5</c>) into doubles, with an invariant core and no dependence on the current culture.
/// </summary>
public static class TabularNumber
{
    /// <summary>The characters accepted as a "space" thousands separator: space, no-break space, narrow no-break space, thin space.</summary>
    public const string SpaceSeparators = " \u00A0\u202F\u2009";

    /// <summary>Parses <paramref name="text"/>; returns true only for a finite number (NaN and infinity are refused unless <paramref name="allowNonFinite"/>).</summary>
    /// <param name="text">The field text; surrounding white space is ignored.</param>
    /// <param name="decimalSeparator"><c>.</c> or <c>,</c>.</param>
    /// <param name="thousandsSeparator">The grouping character, or null when numbers are not grouped; <c>' '</c> accepts every character of <see cref="SpaceSeparators"/>.</param>
    /// <param name="value">The number; 0 when the text is not one.</param>
    /// <param name="allowNonFinite">Whether <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c> are accepted.</param>
    public static bool TryParse(ReadOnlySpan<char> text, char decimalSeparator, char? thousandsSeparator, out double value, bool allowNonFinite = false)
    {
        var status = Parse(text, decimalSeparator, thousandsSeparator, out value);
        if (status == NumberParseStatus.Ok) return true;
        if (status == NumberParseStatus.NotFinite && allowNonFinite) return true;
        value = status == NumberParseStatus.NotFinite ? value : 0;
        return false;
    }

    /// <summary>Parses <paramref name="text"/> and says why it failed; on <see cref="NumberParseStatus.NotFinite"/> the value is NaN or ±infinity.</summary>
    /// <remarks>
    /// Accepted: an optional sign (<c>+</c>, <c>-</c> or U+2212 minus), digits grouped in threes by the thousands separator
    /// (the first group 1–3 digits), one decimal separator, and an exponent (<c>1.5E-3</c>). Anything else is invalid, so a
    /// decimal comma in a file declared with a decimal point is refused rather than silently misread.
    /// </remarks>
    public static NumberParseStatus Parse(ReadOnlySpan<char> text, char decimalSeparator, char? thousandsSeparator, out double value)
    {
        value = 0;
        if (decimalSeparator is not ('.' or ','))
            throw new ArgumentOutOfRangeException(nameof(decimalSeparator), decimalSeparator, "The decimal separator must be '.' or ','.");
        if (thousandsSeparator == decimalSeparator)
            throw new ArgumentException("The thousands separator cannot be the decimal separator.", nameof(thousandsSeparator));

        text = text.Trim();
        if (text.IsEmpty) return NumberParseStatus.Empty;

        if (IsNonFiniteWord(text, out var special))
        {
            value = special;
            return NumberParseStatus.NotFinite;
        }

        // Normalise into an invariant buffer: sign, digits, '.', exponent. Grouping is checked as we go.
        Span<char> buffer = text.Length <= 128 ? stackalloc char[text.Length] : new char[text.Length];
        var length = 0;
        var position = 0;
        if (text[0] is '+' or '-' or '\u2212')
        {
            buffer[length++] = text[0] == '+' ? '+' : '-';
            position = 1;
        }

        var integerDigits = 0;
        var digitsInGroup = 0;
        var sawGroup = false;
        var isSpaceGroup = thousandsSeparator == ' ';
        for (; position < text.Length; position++)
        {
            var c = text[position];
            if (char.IsAsciiDigit(c))
            {
                buffer[length++] = c;
                integerDigits++;
                digitsInGroup++;
                continue;
            }

            var isGroup = thousandsSeparator is { } t && (isSpaceGroup ? SpaceSeparators.Contains(c) : c == t);
            if (isGroup)
            {
                // A group separator must follow 1–3 digits (first group) or exactly 3 (later groups), and be followed by a digit.
                if (digitsInGroup == 0 || (sawGroup ? digitsInGroup != 3 : digitsInGroup > 3)) return NumberParseStatus.Invalid;
                if (position + 1 >= text.Length || !char.IsAsciiDigit(text[position + 1])) return NumberParseStatus.Invalid;
                sawGroup = true;
                digitsInGroup = 0;
                continue;
            }

            break;
        }

        if (sawGroup && digitsInGroup != 3) return NumberParseStatus.Invalid;

        var fractionDigits = 0;
        if (position < text.Length && text[position] == decimalSeparator)
        {
            buffer[length++] = '.';
            position++;
            for (; position < text.Length && char.IsAsciiDigit(text[position]); position++)
            {
                buffer[length++] = text[position];
                fractionDigits++;
            }
        }

        if (integerDigits + fractionDigits == 0) return NumberParseStatus.Invalid;

        if (position < text.Length && text[position] is 'e' or 'E')
        {
            buffer[length++] = 'E';
            position++;
            if (position < text.Length && text[position] is '+' or '-')
                buffer[length++] = text[position++];
            var exponentDigits = 0;
            for (; position < text.Length && char.IsAsciiDigit(text[position]); position++)
            {
                buffer[length++] = text[position];
                exponentDigits++;
            }

            if (exponentDigits == 0) return NumberParseStatus.Invalid;
        }

        if (position != text.Length) return NumberParseStatus.Invalid;

        if (!double.TryParse(buffer[..length], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out value))
            return NumberParseStatus.Invalid;

        return double.IsFinite(value) ? NumberParseStatus.Ok : NumberParseStatus.NotFinite;
    }

    private static bool IsNonFiniteWord(ReadOnlySpan<char> text, out double value)
    {
        var sign = 1.0;
        var body = text;
        if (body.Length > 0 && body[0] is '+' or '-' or '\u2212')
        {
            sign = body[0] == '+' ? 1.0 : -1.0;
            body = body[1..];
        }

        if (body.Equals("NaN", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }

        if (body.Equals("Infinity", StringComparison.OrdinalIgnoreCase) || body.Equals("Inf", StringComparison.OrdinalIgnoreCase) || body.SequenceEqual("\u221E"))
        {
            value = sign * double.PositiveInfinity;
            return true;
        }

        value = 0;
        return false;
    }
}
