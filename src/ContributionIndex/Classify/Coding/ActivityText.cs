using System.Globalization;
using System.Text;

namespace ContributionIndex.Classify.Coding;

/// <summary>Normalises free-text activity descriptions before coding, so that spelling variants share features.</summary>
/// <remarks>
/// Steps, in order: Unicode NFKC (full-width and compatibility forms fold to plain letters); lower case with the
/// invariant culture (Kazakh Cyrillic letters such as Қ, Ә, Ө, Ү, Ұ, Ғ, Ң, І, Һ have invariant lower-case forms);
/// ё → е (Russian writers use both); apostrophe-like marks (' ’ ‘ ʻ ʼ `) are removed so Uzbek Latin o‘/g‘ spellings
/// with any of them become one token; remaining combining marks are dropped; every other character that is not a
/// letter or a digit becomes a space; runs of spaces collapse and the result is trimmed.
/// </remarks>
public static class ActivityText
{
    /// <summary>Returns the normalised form of a description; null or blank input gives an empty string.</summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return string.Empty;
        var folded = UnicodeNormalization.Normalize(text, NormalizationForm.FormKC).ToLowerInvariant();
        var builder = new StringBuilder(folded.Length);
        var pendingSpace = false;
        foreach (var rune in folded.EnumerateRunes())
        {
            var value = rune.Value;
            if (value is '\'' or '\u2019' or '\u2018' or '\u02BB' or '\u02BC' or '`') continue;
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark) continue;
            if (Rune.IsLetterOrDigit(rune))
            {
                if (pendingSpace && builder.Length > 0) builder.Append(' ');
                pendingSpace = false;
                if (value == 'ё') builder.Append('е');
                else if (rune.IsBmp) builder.Append((char)value);
                else builder.Append(rune.ToString());
            }
            else
            {
                pendingSpace = true;
            }
        }

        return builder.ToString();
    }
}
