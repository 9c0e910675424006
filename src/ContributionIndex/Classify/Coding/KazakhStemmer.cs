namespace ContributionIndex.Classify.Coding;

/// <summary>
/// A light suffix stripper for Kazakh (Cyrillic script), for the activity coder's stem features: no Kazakh stemmer
/// exists in the libraries the project uses, so this removes the common inflectional endings, from the end of the word
/// inwards, in four layers that follow the order of Kazakh morphology read backwards:
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>case and personal endings: dative ға/ге/қа/ке/на/не, locative да/де/та/те/нда/нде, ablative дан/ден/тан/тен/нан/нен,
/// genitive ның/нің/дың/дің/тың/тің, accusative ны/ні/ды/ді/ты/ті (not the bare -н after a possessive: орман would lose its н), instrumental мен/бен/пен;
/// the past tense -ды/-ді/-ты/-ті with its person (дым, дық, дың, дыңыз…), the present tense with its person
/// (-амын/-емін/-ймын, -ады/-еді/-йды…) and the personal endings -мын/-мін/-мыз/-сың/-сыз…;</item>
/// <item>possessive endings: -ым/-ім, -ың/-ің, -сы/-сі, -ымыз/-іміз, -ыңыз/-іңіз (the bare -ы/-і is left: too many stems end in it, e.g. ерікті);</item>
/// <item>plural -лар/-лер/-дар/-дер/-тар/-тер (also with the third-person possessive: -лары/-лері…);</item>
/// <item>verb forms: participles -ған/-ген/-қан/-кен, -атын/-етін/-йтын/-йтін, the converb -ып/-іп/-п, the verbal noun
/// -у/-уы/-уі, the agent noun -ушы/-уші, the infinitive of purpose -уға/-уге.</item>
/// </list>
/// In each layer the longest matching ending is removed once, and only if at least <see cref="MinimumStem"/> letters,
/// one of them a vowel, remain; the four layers are repeated until nothing changes (at most <see cref="MaximumRounds"/>
/// times), so that a word and its inflected forms end in the same place: балаларға → балалар → бала, отырғыздық →
/// отырғыз, жинауға → жина, көмектесемін → көмектес, and ерікті and еріктілер both give ерік. The stem is a feature, not
/// a dictionary form: what matters is that the forms of one word meet in one stem (мектеп and мектепке both give мек).
/// Three letters at least: with two, short stems such as кіта (from кітап) lost another syllable; two-letter roots (үй,
/// ет) then keep their endings.
/// </remarks>
internal static class KazakhStemmer
{
    /// <summary>Fewest letters a stem keeps.</summary>
    public const int MinimumStem = 3;

    /// <summary>Most passes over the four layers.</summary>
    public const int MaximumRounds = 3;

    private const string Vowels = "аәеиоөуұүыіэюя";

    private static readonly string[][] Layers =
    [
        // 1. Case endings, tense with person, personal endings.
        Sorted(
            "ға", "ге", "қа", "ке", "на", "не",
            "да", "де", "та", "те", "нда", "нде",
            "дан", "ден", "тан", "тен", "нан", "нен",
            "ның", "нің", "дың", "дің", "тың", "тің",
            "ны", "ні", "ды", "ді", "ты", "ті",
            "мен", "бен", "пен", "менен", "бенен", "пенен",
            "дым", "дім", "тым", "тім", "дың", "дің", "тың", "тің", "дық", "дік", "тық", "тік",
            "дыңыз", "діңіз", "тыңыз", "тіңіз", "дыңдар", "діңдер", "тыңдар", "тіңдер",
            "амын", "емін", "ймын", "ймін", "амыз", "еміз", "ймыз", "йміз", "асың", "есің", "йсың", "йсің", "асыз", "есіз", "йсыз", "йсіз",
            "ады", "еді", "йды", "йді",
            "мын", "мін", "бын", "бін", "пын", "пін", "мыз", "міз", "быз", "біз", "пыз", "піз", "сың", "сің", "сыз", "сіз"),
        // 2. Possessive endings.
        Sorted("ым", "ім", "ың", "ің", "сы", "сі", "ымыз", "іміз", "ыңыз", "іңіз", "мыз", "міз", "ңыз", "ңіз"),
        // 3. Plural, also with the third-person possessive.
        Sorted("лар", "лер", "дар", "дер", "тар", "тер", "лары", "лері", "дары", "дері", "тары", "тері"),
        // 4. Participles, converb, verbal and agent nouns.
        Sorted("ған", "ген", "қан", "кен", "атын", "етін", "йтын", "йтін", "ып", "іп", "п", "у", "уы", "уі", "ушы", "уші", "уға", "уге"),
    ];

    /// <summary>The stem of a lower-case Kazakh word (a word that is too short, or has none of the endings, is returned as it is).</summary>
    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var length = word.Length;
        for (var round = 0; round < MaximumRounds; round++)
        {
            var before = length;
            foreach (var layer in Layers)
            {
                foreach (var suffix in layer)
                {
                    // Longest first within the layer (Sorted): the first ending that fits and leaves a valid stem is removed.
                    if (length - suffix.Length < MinimumStem) continue;
                    if (!word.AsSpan(0, length).EndsWith(suffix, StringComparison.Ordinal)) continue;
                    if (!HasVowel(word.AsSpan(0, length - suffix.Length))) continue;
                    length -= suffix.Length;
                    break;
                }
            }

            if (length == before) break;
        }

        return length == word.Length ? word : word[..length];
    }

    private static bool HasVowel(ReadOnlySpan<char> stem) => stem.IndexOfAny(Vowels) >= 0;

    private static string[] Sorted(params string[] suffixes) =>
        [.. suffixes.Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length).ThenBy(s => s, StringComparer.Ordinal)];
}
