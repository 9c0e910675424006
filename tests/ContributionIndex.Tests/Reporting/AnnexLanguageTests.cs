using System.Text.RegularExpressions;
using ContributionIndex.Pipeline;
using ContributionIndex.Reporting;
using ContributionIndex.Tests.Samples;

namespace ContributionIndex.Tests.Reporting;

/// <summary>
/// Every word of a Kazakh or Russian annex is in that language: the table model of the regional and the four country
/// samples is scanned text by text (titles, units, headings, cells, notes, sources, metadata, chart titles, axes,
/// series and categories) for Latin-script words outside <see cref="AllowedLatin"/> (methodology/reporting.md,
/// "Language").
/// </summary>
public sealed partial class AnnexLanguageTests
{
    /// <summary>
    /// The Latin-script words a kk/ru annex may print, each a code or name a reader meets in Latin script in any
    /// language: ISO 4217 currency codes of the samples, ISO 3166 alpha-2 country codes, the product name, the SDG and
    /// ISCO classification's name, the quality flags' letters ([u] [c] [x] [z]), the hash algorithm's and the runtime's
    /// names. Web addresses of cited sources and checksums are locators and are not scanned.
    /// Units and statistical terms (FTE, SE, CV, PPP, GDP) are not here: the annex writes them in its own language.
    /// </summary>
    public static readonly IReadOnlySet<string> AllowedLatin = new HashSet<string>(StringComparer.Ordinal)
    {
        "KZT", "KGS", "TJS", "UZS", "USD", // ISO 4217
        "KZ", "KG", "TJ", "UZ",            // ISO 3166-1 alpha-2
        "ContributionIndex",               // the product
        "ISCO",                            // ISCO-08, the ILO classification's own name
        "SHA", "NET",                      // SHA-256 checksums; .NET, the runtime the software names
        "u", "c", "x", "z",                // the flags [u] [c] [x] [z]
    };

    public static TheoryData<string, string> Annexes()
    {
        var data = new TheoryData<string, string>();
        foreach (var study in new[] { "regional", "kz", "kg", "tj", "uz" })
            foreach (var language in new[] { "kk", "ru" })
                data.Add(study, language);
        return data;
    }

    [Theory]
    [MemberData(nameof(Annexes))]
    public void Kazakh_and_Russian_annexes_print_no_Latin_word_outside_the_allow_list(string study, string language)
    {
        var annex = StudyRun.Load(SampleStudies.Study(study)).Annex(language);
        var found = Texts(annex)
            .SelectMany(t => LatinWord().Matches(Locator().Replace(t.Text, " ")).Select(m => (t.Where, Word: m.Value)))
            .Where(x => !AllowedLatin.Contains(x.Word))
            .GroupBy(x => x.Word, StringComparer.Ordinal)
            .Select(g => g.Key + " in " + string.Join(", ", g.Select(x => x.Where).Distinct().Take(4)))
            .ToList();
        Assert.True(found.Count == 0, $"{found.Count} Latin-script words in the {language} annex of {study}:\n" + string.Join("\n", found.Take(60)));
    }

    [Theory]
    [InlineData("kk")]
    [InlineData("ru")]
    public void Kazakh_and_Russian_resources_print_no_Latin_word_outside_the_allow_list(string language)
    {
        var path = Path.Combine(SampleStudies.RepositoryRoot, "src", "ContributionIndex", "Reporting", "Resources", language + ".json");
        var entries = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path))!;
        var found = entries.SelectMany(e => LatinWord().Matches(e.Value).Select(m => (e.Key, Word: m.Value)))
            .Where(x => !AllowedLatin.Contains(x.Word)).Select(x => x.Word + " in " + x.Key).ToList();
        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    /// <summary>Every text of the annex model with where it is.</summary>
    private static IEnumerable<(string Where, string Text)> Texts(Annex annex)
    {
        yield return ("cover title", annex.Cover.Title);
        yield return ("cover subtitle", annex.Cover.Subtitle);
        yield return ("cover producer", annex.Cover.Producer);
        if (annex.Cover.ReleaseDateText is { } date) yield return ("cover release date", date);
        if (annex.Cover.DraftMark is { } draft) yield return ("cover draft mark", draft);
        foreach (var reason in annex.Cover.DraftReasons) yield return ("cover draft reason", reason);
        foreach (var t in annex.Tables)
        {
            yield return (t.Id + " title", t.Title);
            yield return (t.Id + " units", t.Units);
            yield return (t.Id + " source", t.Source);
            foreach (var c in t.Columns) yield return (t.Id + " heading " + c.Id, c.Heading);
            foreach (var r in t.Rows)
                foreach (var cell in r.Cells)
                    if (cell.Text is { } text) yield return (t.Id + " cell", text);
            foreach (var n in t.Notes) yield return (t.Id + " note " + n.Number, n.Text);
        }

        foreach (var c in annex.Charts)
        {
            yield return (c.Id + " title", c.Title);
            yield return (c.Id + " axis", c.ValueAxisLabel);
            yield return (c.Id + " source", c.Source);
            foreach (var s in c.Series)
            {
                yield return (c.Id + " series", s.Name);
                foreach (var p in s.Points) yield return (c.Id + " category", p.Category);
            }
        }

        foreach (var m in annex.Metadata)
        {
            yield return ("metadata section", m.Section);
            yield return ("metadata " + m.Key, m.Key);
            yield return ("metadata " + m.Key, m.Value);
        }
    }

    /// <summary>A run of Latin letters (in SHA-256 or ISCO-08 the letters alone are the word).</summary>
    [GeneratedRegex(@"[A-Za-z]+")]
    private static partial Regex LatinWord();

    /// <summary>Locators, not words: web addresses of cited sources and SHA-256 checksums (64 hexadecimal digits).</summary>
    [GeneratedRegex(@"https?://\S+|\b[0-9a-f]{64}\b")]
    private static partial Regex Locator();
}
