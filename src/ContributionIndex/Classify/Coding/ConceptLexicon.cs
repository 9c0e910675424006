using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

namespace ContributionIndex.Classify.Coding;

/// <summary>
/// Task concepts for the activity coder's features (methodology/coding/lexicon.tsv): lines <c>concept	language	form</c>,
/// where a form is a word prefix or a phrase of up to four word prefixes, lower case. A description that contains a form gets
/// one token <c>zc_concept</c> per matched concept in its feature text, so that unseen wordings of a known task share
/// a feature (methodology/coding/README.md, "Model").
/// </summary>
/// <remarks>
/// A word matches a one-word form when it starts with it; consecutive words match a phrase "a b" (or "a b c") when each
/// starts with the phrase's word in its place. Forms are normalised as descriptions are (<see cref="ActivityText.Normalize"/>:
/// lower case, ё → е). The forms are held in a character trie, so one pass over a word finds every form it starts
/// with. The lexicon is part of a trained model: <see cref="ActivityCoder.Save(string)"/> stores its text in the model
/// zip, and a loaded model matches with the lexicon it was trained with.
/// </remarks>
public sealed class ConceptLexicon
{
    /// <summary>Prefix of the concept tokens; normalisation turns '_' into a space, so no description produces it.</summary>
    internal const string TokenPrefix = "zc_";

    /// <summary>Most words in one form (a phrase of word prefixes).</summary>
    private const int MaxPhraseWords = 4;

    private readonly Dictionary<long, int> _children = [];
    private readonly FrozenDictionary<long, int> _trie;
    private readonly List<int[]> _concepts = [[]];
    private readonly string[] _tokens;

    private ConceptLexicon(string text, string source)
    {
        Text = text;
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        var names = new List<string>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var terminals = new Dictionary<int, SortedSet<int>>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var fields = line.Split('\t');
            if (fields.Length < 3) throw new FormatException($"{source} line {lineNumber}, column 1: expected 'concept<TAB>language<TAB>form', found '{line}'.");
            var concept = fields[0].Trim().ToLowerInvariant();
            if (lineNumber == 1 && concept == "concept") continue;
            if (concept.Length == 0 || !concept.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
                throw new FormatException($"{source} line {lineNumber}, column 1: the concept '{fields[0]}' must be Latin letters, digits and '_'.");
            var words = ActivityText.Normalize(fields[2]).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length is 0 or > MaxPhraseWords) throw new FormatException($"{source} line {lineNumber}, column {fields[0].Length + fields[1].Length + 3}: the form '{fields[2]}' must be one to {MaxPhraseWords} word prefixes.");
            if (!ids.TryGetValue(concept, out var id))
            {
                id = names.Count;
                ids.Add(concept, id);
                names.Add(concept);
            }

            var node = 0;
            for (var w = 0; w < words.Length; w++)
            {
                if (w > 0) node = Child(node, ' ');
                foreach (var c in words[w]) node = Child(node, c);
            }

            if (!terminals.TryGetValue(node, out var set)) terminals[node] = set = [];
            set.Add(id);
            Forms++;
        }

        // Concepts are numbered in order of first appearance; tokens are emitted in ordinal order of their names.
        var rank = names.Select((n, i) => (n, i)).OrderBy(p => p.n, StringComparer.Ordinal).Select((p, r) => (p.i, r)).ToDictionary(p => p.i, p => p.r);
        _tokens = [.. names.Order(StringComparer.Ordinal).Select(n => TokenPrefix + n)];
        foreach (var (node, set) in terminals) _concepts[node] = [.. set.Select(i => rank[i]).Order()];
        Concepts = names.Count;
        _trie = _children.ToFrozenDictionary();
    }

    /// <summary>The lexicon's text as read (it is stored in the model zip as it is).</summary>
    public string Text { get; }

    /// <summary>SHA-256 (hex) of <see cref="Text"/> in UTF-8.</summary>
    public string Sha256 { get; }

    /// <summary>Number of forms (lines).</summary>
    public int Forms { get; }

    /// <summary>Number of distinct concepts.</summary>
    public int Concepts { get; }

    /// <summary>The lexicon that ships with the library (methodology/coding/lexicon.tsv), used by the default model.</summary>
    public static ConceptLexicon Embedded => EmbeddedLexicon.Value;

    private static readonly Lazy<ConceptLexicon> EmbeddedLexicon = new(() =>
    {
        using var stream = typeof(ConceptLexicon).Assembly.GetManifestResourceStream("ContributionIndex.Classify.Coding.lexicon.tsv")
            ?? throw new InvalidOperationException("The embedded concept lexicon is missing from the assembly; the build is broken.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader.ReadToEnd(), "lexicon.tsv");
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Reads a lexicon from its text; <paramref name="source"/> names it in error messages.</summary>
    public static ConceptLexicon Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new ConceptLexicon(text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text, source);
    }

    /// <summary>Reads a lexicon file (UTF-8).</summary>
    public static ConceptLexicon Read(string path) => Parse(File.ReadAllText(path, Encoding.UTF8), path);

    /// <summary>Appends " zc_concept" to <paramref name="builder"/> for every concept whose form occurs in the normalised text, each concept once, in ordinal order.</summary>
    internal void AppendTokens(string normalised, StringBuilder builder)
    {
        if (normalised.Length == 0 || Concepts == 0) return;
        Span<ulong> found = Concepts <= 256 ? stackalloc ulong[(Concepts + 63) / 64] : new ulong[(Concepts + 63) / 64];
        var any = false;
        var start = 0;
        while (start < normalised.Length)
        {
            var end = normalised.IndexOf(' ', start);
            if (end < 0) end = normalised.Length;
            any |= Walk(0, normalised, start, end, found);
            start = end + 1;
        }

        if (!any) return;
        for (var c = 0; c < Concepts; c++)
            if ((found[c >> 6] & (1UL << (c & 63))) != 0) builder.Append(' ').Append(_tokens[c]);
    }

    /// <summary>
    /// Walks the word normalised[start..end) down the trie from <paramref name="node"/>; every node passed is a prefix of
    /// the word, and where a phrase continues after that prefix (a ' ' child) the walk goes on into the next word.
    /// </summary>
    private bool Walk(int node, string normalised, int start, int end, Span<ulong> found)
    {
        var any = false;
        for (var i = start; i < end; i++)
        {
            node = Next(node, normalised[i]);
            if (node < 0) break;
            any |= Mark(node, found);
            if (end < normalised.Length && Next(node, ' ') is var phrase and >= 0)
            {
                var nextEnd = normalised.IndexOf(' ', end + 1);
                any |= Walk(phrase, normalised, end + 1, nextEnd < 0 ? normalised.Length : nextEnd, found);
            }
        }

        return any;
    }

    private bool Mark(int node, Span<ulong> found)
    {
        var concepts = _concepts[node];
        foreach (var c in concepts) found[c >> 6] |= 1UL << (c & 63);
        return concepts.Length > 0;
    }

    /// <summary>The child of a trie node for a character, or −1 (lookup in the frozen table).</summary>
    private int Next(int node, char c) => _trie.TryGetValue(((long)node << 16) | c, out var child) ? child : -1;

    /// <summary>The child of a trie node while the lexicon is being built, created when missing.</summary>
    private int Child(int node, char c)
    {
        var key = ((long)node << 16) | c;
        if (_children.TryGetValue(key, out var child)) return child;
        child = _concepts.Count;
        _concepts.Add([]);
        _children.Add(key, child);
        return child;
    }
}
