using System.Text;

namespace ContributionIndex;

/// <summary>Unicode normalisation of text that comes from input files, which may hold anything.</summary>
internal static class UnicodeNormalization
{
    /// <summary>
    /// <paramref name="text"/> in <paramref name="form"/>. ICU rejects the noncharacter U+FFFE ("invalid Unicode code
    /// points"), which a damaged or mis-decoded file can hold; it is replaced by U+FFFD, the replacement character, as
    /// ICU itself replaces unpaired surrogates, so input text never stops a run.
    /// </summary>
    public static string Normalize(string text, NormalizationForm form) =>
        (text.Contains('\uFFFE', StringComparison.Ordinal) ? text.Replace('\uFFFE', '\uFFFD') : text).Normalize(form);
}
