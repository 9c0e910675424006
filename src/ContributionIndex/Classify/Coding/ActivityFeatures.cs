using System.Text;
using Lucene.Net.Tartarus.Snowball.Ext;

namespace ContributionIndex.Classify.Coding;

/// <summary>
/// The text the coder's n-gram features are computed from (training and prediction alike): the normalised description,
/// then stem tokens and concept tokens, each kind switched by <see cref="ActivityCoderOptions"/> (methodology/coding/README.md, "Model", step 1).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Prefix stems (<see cref="ActivityCoderOptions.StemLength"/>): each word longer than that many letters adds its first letters + '_'.</item>
/// <item>Language stems (<see cref="ActivityCoderOptions.LanguageStems"/>): each word of at least <see cref="LanguageStemMinimum"/>
/// letters adds its stem + '_': a word with a Kazakh-only letter (әғқңөұүһі) gets <see cref="KazakhStemmer"/>'s stem; other
/// Cyrillic the Snowball Russian stem and, when the description has a Kazakh-only letter, also the Kazakh stem; Latin the
/// Snowball English (Porter 2) stem. Words with digits or mixed scripts get none.</item>
/// <item>Concepts (<see cref="ActivityCoderOptions.ConceptTokens"/>): one <c>zc_concept</c> token per concept of the
/// model's <see cref="ConceptLexicon"/> found in the description.</item>
/// </list>
/// The trailing '_' and the <c>zc_</c> prefix cannot come out of normalisation (it turns '_' into a space), so these
/// tokens never collide with words. A stem equal to another token of the same word is added once.
/// </remarks>
internal sealed class ActivityFeatures
{
    /// <summary>Fewest letters a word needs to get a language stem.</summary>
    internal const int LanguageStemMinimum = 3;

    private const string KazakhLetters = "әғқңөұүһі";

    [ThreadStatic] private static RussianStemmer? russian;
    [ThreadStatic] private static EnglishStemmer? english;
    [ThreadStatic] private static StemCache? stems;

    private readonly int _stemLength;
    private readonly bool _languageStems;
    private readonly ConceptLexicon? _lexicon;

    public ActivityFeatures(ActivityCoderOptions options, ConceptLexicon? lexicon)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ConceptTokens && lexicon is null) throw new ArgumentException("Concept tokens need a lexicon.", nameof(lexicon));
        _stemLength = options.StemLength;
        _languageStems = options.LanguageStems;
        _lexicon = options.ConceptTokens ? lexicon : null;
    }

    /// <summary>The feature text of a description.</summary>
    public string Text(string? text)
    {
        var normalised = ActivityText.Normalize(text);
        if (normalised.Length == 0 || (_stemLength <= 0 && !_languageStems && _lexicon is null)) return normalised;
        var builder = new StringBuilder(normalised, normalised.Length * 3);
        var kazakhText = _languageStems && normalised.AsSpan().IndexOfAny(KazakhLetters) >= 0;
        foreach (var range in normalised.AsSpan().Split(' '))
        {
            var word = normalised.AsSpan(range);
            var prefix = _stemLength > 0 && word.Length > _stemLength ? word[.._stemLength] : default;
            if (!prefix.IsEmpty) builder.Append(' ').Append(prefix).Append('_');
            if (!_languageStems || word.Length < LanguageStemMinimum) continue;
            switch (Script(word))
            {
                case WordScript.Kazakh:
                    Add(builder, Stems.Get(StemCache.Kazakh, word), prefix, default);
                    break;
                case WordScript.Cyrillic:
                {
                    var ru = Stems.Get(StemCache.Russian, word);
                    Add(builder, ru, prefix, default);
                    if (kazakhText) Add(builder, Stems.Get(StemCache.Kazakh, word), prefix, ru);
                    break;
                }

                case WordScript.Latin:
                    Add(builder, Stems.Get(StemCache.English, word), prefix, default);
                    break;
            }
        }

        _lexicon?.AppendTokens(normalised, builder);
        return builder.ToString();
    }

    private static void Add(StringBuilder builder, ReadOnlySpan<char> stem, ReadOnlySpan<char> prefix, ReadOnlySpan<char> other)
    {
        if (stem.IsEmpty || stem.SequenceEqual(prefix) || stem.SequenceEqual(other)) return;
        builder.Append(' ').Append(stem).Append('_');
    }

    private static StemCache Stems => stems ??= new StemCache();

    /// <summary>
    /// Stems already computed on this thread, per stemmer (a word's stem never changes, so the cache changes no feature).
    /// Survey answers repeat their words and the Snowball stemmers allocate on every call, so a word is looked up first
    /// and stemmed only once per thread. At most <see cref="Capacity"/> words per stemmer; then the table starts afresh.
    /// </summary>
    private sealed class StemCache
    {
        internal const int Russian = 0;
        internal const int English = 1;
        internal const int Kazakh = 2;
        private const int Capacity = 1 << 16;
        private readonly Dictionary<string, string>[] _maps = [new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal)];

        internal string Get(int stemmer, ReadOnlySpan<char> word)
        {
            var map = _maps[stemmer];
            if (map.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(word, out var stem)) return stem;
            var key = word.ToString();
            stem = stemmer switch
            {
                Russian => ActivityFeatures.Russian(key),
                English => ActivityFeatures.English(key),
                _ => KazakhStemmer.Stem(key),
            };
            if (map.Count >= Capacity) map.Clear();
            map[key] = stem;
            return stem;
        }
    }

    private static string Russian(string word)
    {
        var stemmer = russian ??= new RussianStemmer();
        stemmer.SetCurrent(word);
        stemmer.Stem();
        return stemmer.Current;
    }

    private static string English(string word)
    {
        var stemmer = english ??= new EnglishStemmer();
        stemmer.SetCurrent(word);
        stemmer.Stem();
        return stemmer.Current;
    }

    private enum WordScript
    {
        Other,
        Latin,
        Cyrillic,
        Kazakh,
    }

    /// <summary>Latin when every character is a–z (after normalisation), Kazakh when the word is Cyrillic with a Kazakh-only letter, Cyrillic when it is Cyrillic otherwise; Other for digits and mixtures.</summary>
    private static WordScript Script(ReadOnlySpan<char> word)
    {
        bool latin = true, cyrillic = true, kazakh = false;
        foreach (var c in word)
        {
            if (c is < 'a' or > 'z') latin = false;
            if (c is < '\u0400' or > '\u04FF') cyrillic = false;
            else if (KazakhLetters.Contains(c)) kazakh = true;
        }

        return latin ? WordScript.Latin : !cyrillic ? WordScript.Other : kazakh ? WordScript.Kazakh : WordScript.Cyrillic;
    }
}
