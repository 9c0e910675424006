using System.Globalization;
using System.Text;

namespace ContributionIndex.Classify.Coding;

/// <summary>Short titles of the ISCO-08 major and sub-major groups in English, Russian and Kazakh, for the review queue.</summary>
/// <remarks>English titles are ISCO-08's (ILO 2012); the Russian ones are shortened from methodology/taxonomies/isco08.csv,
/// with the volunteer tasks each group holds in brackets; the Kazakh ones are the project's translation (not an official
/// classifier text). They only help a reviewer read the candidates; codes, not titles, are what the coder outputs.</remarks>
internal static class IscoLabels
{
    private static readonly Lazy<Dictionary<string, string[]>> Titles = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly string[] Languages = ["en", "ru", "kk"];

    /// <summary>The title of a one- or two-digit ISCO code in the language (en, ru, kk; anything else gives English); empty when unknown.</summary>
    public static string Title(string code, string language)
    {
        if (!Titles.Value.TryGetValue(code, out var titles)) return string.Empty;
        var index = Array.IndexOf(Languages, language);
        return titles[index < 0 ? 0 : index];
    }

    /// <summary>The language of an answer: the given code when it is en, ru or kk; otherwise guessed from the letters (Kazakh-only Cyrillic letters → kk, other Cyrillic → ru, else en).</summary>
    public static string LanguageOf(string text, string given)
    {
        var code = given.Trim().ToLowerInvariant();
        if (Array.IndexOf(Languages, code) >= 0) return code;
        var cyrillic = false;
        foreach (var c in text.ToLowerInvariant())
        {
            if ("әғқңөұүһі".Contains(c, StringComparison.Ordinal)) return "kk";
            if (c is >= '\u0400' and <= '\u04FF') cyrillic = true;
        }

        return cyrillic ? "ru" : "en";
    }

    /// <summary>"code title (p); …" for the review queue, in the answer's language.</summary>
    public static string Candidates(IReadOnlyList<IscoCandidate> candidates, string language)
    {
        var text = new StringBuilder();
        foreach (var candidate in candidates)
        {
            if (text.Length > 0) text.Append("; ");
            text.Append(candidate.Code).Append(' ').Append(Title(candidate.Code, language))
                .Append(" (").Append(candidate.Probability.ToString("0.00", CultureInfo.InvariantCulture)).Append(')');
        }

        return text.ToString();
    }

    private static Dictionary<string, string[]> Load()
    {
        using var stream = typeof(IscoLabels).Assembly.GetManifestResourceStream("ContributionIndex.Classify.Coding.isco-labels.tsv")
            ?? throw new InvalidOperationException("The embedded ISCO titles are missing from the assembly; the build is broken.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            var fields = line.Split('\t');
            result.Add(fields[0], [fields[1], fields[2], fields[3]]);
        }

        return result;
    }
}
