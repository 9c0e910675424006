using System.Numerics;
using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace ContributionIndex.Classify.Coding;

/// <summary>
/// The fast path of <see cref="ActivityCoder"/>: computes the same features as the trained ML.NET pipeline (character
/// 1–n-grams with start/end markers and word 1–2-grams over the normalised text, term frequencies optionally times the
/// inverse document frequency, each block L2-normalised) and applies the trained linear weights directly, without
/// ML.NET's data-view machinery.
/// </summary>
/// <remarks>
/// Built from the loaded model itself: the n-gram dictionaries come from the feature column's slot names
/// (<c>Char.a|b</c>, <c>Word.a|b</c>; markers and the space are written as control pictures <c>&lt;␂&gt;</c>,
/// <c>&lt;␃&gt;</c>, <c>&lt;␠&gt;</c>), the weights and biases from the maximum-entropy and logistic-regression model
/// parameters, and the Platt slope and offset from each goal's calibrator. Scores are accumulated in double and
/// returned as float, the precision ML.NET returns; a test requires agreement with ML.NET to 1e-6 on every held-out
/// text. Instances are immutable and safe to share between threads; each thread uses its own <see cref="Scratch"/>.
/// </remarks>
internal sealed class LinearActivityScorer
{
    private const char StartMarker = '\u0002';
    private const char EndMarker = '\u0003';

    /// <summary>The longest character n-gram the coder accepts (a model option bound; the trie itself has no limit).</summary>
    public const int MaxCharNgramLength = 8;
    private readonly CharTrie _charSlots;
    private readonly int _charNgramLength;
    private readonly double[]? _idf;
    private readonly Dictionary<string, int> _wordIds;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _wordLookup;
    private readonly FlatTable _wordSlots;
    private readonly int _slots;
    private readonly int _outputs;
    private readonly int _classes;
    private readonly float[] _weights;
    private readonly double[] _bias;
    private readonly double[] _slope;
    private readonly double[] _offset;

    private LinearActivityScorer(CharTrie charSlots, int charNgramLength, Dictionary<string, int> wordIds, FlatTable wordSlots, int slots,
        int classes, float[] weights, double[] bias, double[] slope, double[] offset)
    {
        _charSlots = charSlots;
        _charNgramLength = charNgramLength;
        _wordIds = wordIds;
        _wordLookup = wordIds.GetAlternateLookup<ReadOnlySpan<char>>();
        _wordSlots = wordSlots;
        _slots = slots;
        _classes = classes;
        _outputs = bias.Length;
        _weights = weights;
        _bias = bias;
        _slope = slope;
        _offset = offset;
    }

    /// <summary>Number of ISCO classes.</summary>
    public int Classes => _classes;

    /// <summary>Number of SDG goals.</summary>
    public int Goals => _outputs - _classes;

    /// <summary>Extracts dictionaries and weights from a model built by <see cref="ActivityCoder.Train(IReadOnlyList{LabelledActivity}, ActivityCoderOptions, ConceptLexicon)"/> (featurizer, maximum entropy, one calibrated logistic regression per goal).</summary>
    /// <exception cref="InvalidOperationException">The model does not have that shape, or a slot name cannot be read.</exception>
    public static LinearActivityScorer FromModel(MLContext ml, ITransformer model, string textColumn) => FromModel(ml, model, textColumn, null);

    /// <summary>As <see cref="FromModel(MLContext, ITransformer, string)"/>, with one inverse document frequency per feature slot when the model weights terms by TF-IDF (null: term frequencies).</summary>
    public static LinearActivityScorer FromModel(MLContext ml, ITransformer model, string textColumn, IReadOnlyList<double>? idf)
    {
        if (model is not TransformerChain<ITransformer> chain) throw new InvalidOperationException("The coding model is not a transformer chain.");
        var parts = chain.ToList();
        var featurizer = parts[0];
        var input = ml.Data.LoadFromEnumerable(Array.Empty<TextOnly>()).Schema;
        var features = featurizer.GetOutputSchema(input)["Features"];
        if (textColumn != nameof(TextOnly.Text)) throw new InvalidOperationException("The coding model reads an unexpected text column.");
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        features.GetSlotNames(ref names);
        var slots = names.Length;

        var charGrams = new List<(string Gram, int Slot)>();
        var charNgramLength = 0;
        var wordIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var wordSlots = new FlatTable();
        var slot = 0;
        foreach (var memory in names.DenseValues())
        {
            var name = memory.ToString();
            if (name.StartsWith("Char.", StringComparison.Ordinal))
            {
                var gram = ParseCharGram(name.AsSpan(5), name);
                charNgramLength = Math.Max(charNgramLength, gram.Length);
                charGrams.Add((gram, slot));
            }
            else if (name.StartsWith("Word.", StringComparison.Ordinal))
            {
                var key = WordKey(name[5..], wordIds);
                if (wordSlots.Find(key) >= 0) throw new InvalidOperationException($"Duplicate word n-gram slot name '{name}' in the coding model.");
                wordSlots.Add(key, slot);
            }
            else throw new InvalidOperationException($"Unexpected feature slot name '{name}' in the coding model.");
            slot++;
        }

        var charSlots = new CharTrie(slots, charGrams);

        var modelSlot = ModelSlots(input, parts, names);
        var maxEnt = parts.OfType<IPredictionTransformer<object>>().Select(p => p.Model).OfType<MaximumEntropyModelParameters>().Single();
        var classWeights = default(VBuffer<float>[]);
        maxEnt.GetWeights(ref classWeights!, out var classes);
        var classBias = maxEnt.GetBiases().ToArray();
        var goals = parts.OfType<IPredictionTransformer<object>>().Select(p => p.Model).OfType<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>>().ToArray();
        var outputs = classes + goals.Length;
        var weights = new float[slots * outputs];
        var bias = new double[outputs];
        for (var k = 0; k < classes; k++)
        {
            bias[k] = classBias[k];
            foreach (var (index, value) in classWeights[k].Items()) weights[modelSlot[index] * outputs + k] = value;
        }

        var slope = new double[goals.Length];
        var offset = new double[goals.Length];
        for (var g = 0; g < goals.Length; g++)
        {
            var linear = goals[g].SubModel;
            bias[classes + g] = linear.Bias;
            var w = linear.Weights;
            for (var i = 0; i < w.Count; i++) weights[modelSlot[i] * outputs + classes + g] = w[i];
            slope[g] = goals[g].Calibrator.Slope;
            offset[g] = goals[g].Calibrator.Offset;
        }

        if (idf is not null && idf.Count != slots) throw new InvalidOperationException($"The coding model has {slots} feature slots but {idf.Count} inverse document frequencies.");
        return new LinearActivityScorer(charSlots, charNgramLength, wordIds, wordSlots, slots, classes, weights, bias, slope, offset) { IdfValues = idf?.ToArray() };
    }

    /// <summary>
    /// For each feature slot the models read, its slot in the featuriser's output: the identity, or, when a slot-selecting
    /// transform (minimum document frequency) sits between the featuriser and the models, the slots it kept, found by name.
    /// </summary>
    private static int[] ModelSlots(DataViewSchema input, List<ITransformer> parts, VBuffer<ReadOnlyMemory<char>> featurizerNames)
    {
        var schema = input;
        foreach (var part in parts)
        {
            if (part is IPredictionTransformer<object>) break;
            schema = part.GetOutputSchema(schema);
        }

        var modelNames = default(VBuffer<ReadOnlyMemory<char>>);
        schema["Features"].GetSlotNames(ref modelNames);
        if (modelNames.Length == featurizerNames.Length) return [.. Enumerable.Range(0, featurizerNames.Length)];
        var bySlotName = new Dictionary<string, int>(featurizerNames.Length, StringComparer.Ordinal);
        var slot = 0;
        foreach (var name in featurizerNames.DenseValues()) bySlotName.Add(name.ToString(), slot++);
        return [.. modelNames.DenseValues().Select(name => bySlotName.TryGetValue(name.ToString(), out var full)
            ? full
            : throw new InvalidOperationException($"The coding model's feature slot '{name}' is not one of the featuriser's slots."))];
    }

    /// <summary>Number of feature slots (character and word n-grams).</summary>
    public int Slots => _slots;

    private double[]? IdfValues { init => _idf = value; }

    /// <summary>Adds, for each slot, the number of <paramref name="normalisedTexts"/> in which it occurs (document frequency), counted exactly as <see cref="Score"/> counts features.</summary>
    public int[] DocumentFrequencies(IEnumerable<string> normalisedTexts)
    {
        var frequencies = new int[_slots];
        var scratch = CreateScratch();
        foreach (var text in normalisedTexts)
        {
            var total = Count(text, scratch, out _);
            for (var t = 0; t < total; t++)
            {
                frequencies[scratch.Touched[t]]++;
                scratch.Counts[scratch.Touched[t]] = 0;
            }
        }

        return frequencies;
    }

    /// <summary>Per-thread working memory: feature counts by slot and the list of slots touched.</summary>
    public sealed class Scratch(int slots, int outputs)
    {
        internal readonly float[] Counts = new float[slots];
        internal readonly int[] Touched = new int[slots];
        internal readonly double[] Accumulator = new double[outputs];
        internal readonly List<int> WordIds = new(64);
    }

    /// <summary>Creates working memory for one thread.</summary>
    public Scratch CreateScratch() => new(_slots, _outputs);

    /// <summary>Scores a normalised description: ISCO class probabilities (softmax) and goal probabilities (Platt), as ML.NET returns them.</summary>
    public void Score(string normalised, Scratch scratch, float[] iscoProbabilities, float[] goalProbabilities)
    {
        var counts = scratch.Counts;
        var touched = scratch.Touched;
        var total = Count(normalised, scratch, out var charCount);
        if (_idf is { } idf)
            for (var t = 0; t < total; t++) counts[touched[t]] = (float)(counts[touched[t]] * idf[touched[t]]);

        var accumulator = scratch.Accumulator;
        Array.Clear(accumulator);
        Accumulate(counts, touched, 0, charCount, accumulator);
        Accumulate(counts, touched, charCount, total, accumulator);
        for (var t = 0; t < total; t++) counts[touched[t]] = 0;

        var max = double.NegativeInfinity;
        for (var k = 0; k < _classes; k++)
        {
            accumulator[k] += _bias[k];
            max = Math.Max(max, accumulator[k]);
        }

        var sum = 0.0;
        for (var k = 0; k < _classes; k++)
        {
            accumulator[k] = Math.Exp(accumulator[k] - max);
            sum += accumulator[k];
        }

        for (var k = 0; k < _classes; k++) iscoProbabilities[k] = (float)(accumulator[k] / sum);
        for (var g = 0; g < Goals; g++)
        {
            var score = (float)(accumulator[_classes + g] + _bias[_classes + g]);
            goalProbabilities[g] = (float)(1 / (1 + Math.Exp(_slope[g] * score + _offset[g])));
        }
    }

    /// <summary>Counts the known character n-grams (slots touched[0..charCount)) and word n-grams (touched[charCount..total)) of a normalised text into scratch.Counts; returns total.</summary>
    private int Count(string normalised, Scratch scratch, out int charCount)
    {
        var counts = scratch.Counts;
        var touched = scratch.Touched;
        charCount = 0;
        if (normalised.Length > 0)
        {
            // Character tokens are <␂> c1 … cn <␃>; every n-gram of length 1–n that the dictionary knows is counted.
            // The text is read once: at each character, every walk down the trie still alive (one per start position
            // of the last n − 1 characters) and a new walk from the root each take one step. The steps of one
            // character are independent probes, so their cache misses overlap; a missing child ends a walk, since no
            // longer n-gram with that prefix is in the dictionary.
            var length = normalised.Length + 2;
            var slots = _slots;
            var maxLength = _charNgramLength;
            Span<int> walks = stackalloc int[MaxCharNgramLength];
            Span<int> depths = stackalloc int[MaxCharNgramLength];
            var alive = 0;
            for (var position = 0; position < length; position++)
            {
                var c = position == 0 ? StartMarker : position == length - 1 ? EndMarker : normalised[position - 1];
                walks[alive] = _charSlots.Root;
                depths[alive] = 0;
                var kept = 0;
                for (var w = 0; w <= alive; w++)
                {
                    var node = _charSlots.Child(walks[w], c);
                    if (node < 0) continue;
                    if (node < slots)
                    {
                        // A node below the slot count is the n-gram's own feature slot (CharTrie numbers them so).
                        if (counts[node] == 0) touched[charCount++] = FirstTouch(node);
                        counts[node]++;
                    }

                    if (depths[w] + 1 < maxLength)
                    {
                        walks[kept] = node;
                        depths[kept++] = depths[w] + 1;
                    }
                }

                alive = kept;
            }
        }

        // Word tokens split on spaces; an unknown word breaks n-grams (it has no id, so no n-gram through it exists).
        var ids = scratch.WordIds;
        ids.Clear();
        foreach (var range in normalised.AsSpan().Split(' '))
        {
            var token = normalised.AsSpan(range);
            if (token.Length == 0) continue;
            ids.Add(_wordLookup.TryGetValue(token, out var id) ? id : -1);
        }

        var total = charCount;
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] < 0) continue;
            var slot = _wordSlots.Find(UnigramKey(ids[i]));
            if (slot >= 0)
            {
                if (counts[slot] == 0) touched[total++] = FirstTouch(slot);
                counts[slot]++;
            }

            if (i + 1 < ids.Count && ids[i + 1] >= 0 && (slot = _wordSlots.Find(BigramKey(ids[i], ids[i + 1]))) >= 0)
            {
                if (counts[slot] == 0) touched[total++] = FirstTouch(slot);
                counts[slot]++;
            }
        }

        return total;
    }

    /// <summary>
    /// Asks the cache for the weight row of a slot the text has just touched: the rows are scattered over a table of
    /// slots × outputs floats (about 100 MB for the shipped model), and loading them while the rest of the text is
    /// counted hides most of their cache misses from <see cref="Accumulate"/>. Returns the slot.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FirstTouch(int slot)
    {
        ref var row = ref _weights[slot * _outputs];
        for (var line = 0; line < _outputs; line += FloatsPerCacheLine) CachePrefetch.Line(ref Unsafe.Add(ref row, line));
        CachePrefetch.Line(ref Unsafe.Add(ref row, _outputs - 1));
        return slot;
    }

    private const int FloatsPerCacheLine = 16;

    /// <summary>Adds one L2-normalised block (touched[from..to]) times the weights to the accumulator.</summary>
    private void Accumulate(float[] counts, int[] touched, int from, int to, double[] accumulator)
    {
        var squares = 0.0;
        for (var t = from; t < to; t++) squares += (double)counts[touched[t]] * counts[touched[t]];
        if (squares == 0) return;
        var scale = 1 / Math.Sqrt(squares);
        var outputs = _outputs;
        var weights = _weights.AsSpan();
        var sums = accumulator.AsSpan(0, outputs);
        var floats = Vector<float>.Count;
        var doubles = Vector<double>.Count;
        for (var t = from; t < to; t++)
        {
            var slot = touched[t];
            var value = counts[slot] * scale;
            var row = weights.Slice(slot * outputs, outputs);
            // With 48 classes and 8 goals a row has 56 outputs: widen float weights to double in SIMD lanes. Each lane
            // computes exactly what the scalar loop computes (float → double is exact, one multiply, one add).
            var k = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var factor = new Vector<double>(value);
                for (; k + floats <= outputs; k += floats)
                {
                    Vector.Widen(new Vector<float>(row.Slice(k, floats)), out var low, out var high);
                    (new Vector<double>(sums.Slice(k, doubles)) + (low * factor)).CopyTo(sums.Slice(k, doubles));
                    (new Vector<double>(sums.Slice(k + doubles, doubles)) + (high * factor)).CopyTo(sums.Slice(k + doubles, doubles));
                }
            }

            for (; k < outputs; k++) sums[k] += value * row[k];
        }
    }

    private static long UnigramKey(int id) => (long)(id + 1) << 32;

    private static long BigramKey(int first, int second) => ((long)(first + 1) << 32) | (uint)(second + 1);

    private static long WordKey(string gram, Dictionary<string, int> ids)
    {
        var words = gram.Split('|');
        if (words.Length is < 1 or > 2 || words.Any(w => w.Length == 0)) throw new InvalidOperationException($"Unexpected word n-gram '{gram}' in the coding model.");
        var first = IdOf(words[0], ids);
        return words.Length == 1 ? UnigramKey(first) : BigramKey(first, IdOf(words[1], ids));
    }

    private static int IdOf(string word, Dictionary<string, int> ids)
    {
        if (!ids.TryGetValue(word, out var id))
        {
            id = ids.Count;
            ids.Add(word, id);
        }

        return id;
    }

    /// <summary>Reads a character n-gram slot name such as <c>&lt;␂&gt;|a|&lt;␠&gt;</c> into its characters.</summary>
    private static string ParseCharGram(ReadOnlySpan<char> gram, string name)
    {
        var chars = new List<char>(4);
        foreach (var range in gram.Split('|'))
        {
            var token = gram[range];
            if (token.Length == 1) chars.Add(token[0]);
            else if (token.Length == 3 && token[0] == '<' && token[2] == '>' && token[1] is >= '\u2400' and <= '\u2420') chars.Add((char)(token[1] - 0x2400));
            else throw new InvalidOperationException($"Unexpected character n-gram slot name '{name}' in the coding model.");
        }

        if (chars.Count is < 1 or > MaxCharNgramLength || chars.Contains('\0')) throw new InvalidOperationException($"Unexpected character n-gram slot name '{name}' in the coding model.");
        return new string([.. chars]);
    }

    /// <summary>
    /// The character n-gram dictionary as a trie: node → child by one UTF-16 unit, in one open-addressing table keyed by
    /// (node, unit). Profiling the 1–5-gram model showed about half of prediction time in Dictionary&lt;UInt128, int&gt;
    /// lookups of whole n-gram keys; the trie does one probe of a flat table per character instead.
    /// </summary>
    /// <remarks>
    /// The node of an n-gram that is in the dictionary is numbered with its feature slot, so reaching a node gives the
    /// slot without a second lookup; the root and the prefixes that are not themselves n-grams of the dictionary get the
    /// numbers from the slot count up. The n-grams are inserted shortest first, so a prefix is numbered as a slot
    /// whenever it is one.
    /// </remarks>
    private sealed class CharTrie
    {
        // Children in one open-addressing table of packed entries: key (node · 2^16 + character, < 2^40) in the high 40
        // bits, child node (< 2^24) in the low 24, so a probe reads one 8-byte word (one cache line) instead of a key in
        // one array and a value in another; the table is half the size of a key array plus a value array.
        private const ulong Empty = ulong.MaxValue;
        private const int ChildBits = 24;
        private const ulong ChildMask = (1UL << ChildBits) - 1;
        private ulong[] _entries = [Empty, Empty, Empty, Empty, Empty, Empty, Empty, Empty];
        private int _count;
        private int _nextFreeNode;

        /// <summary>Builds the trie of <paramref name="grams"/> (each with its feature slot, below <paramref name="slots"/>).</summary>
        /// <exception cref="InvalidOperationException">An n-gram appears twice, or there are too many nodes.</exception>
        public CharTrie(int slots, IReadOnlyList<(string Gram, int Slot)> grams)
        {
            Root = slots;
            _nextFreeNode = slots + 1;
            foreach (var (gram, slot) in grams.OrderBy(g => g.Gram.Length).ThenBy(g => g.Slot))
            {
                var node = Root;
                for (var k = 0; k < gram.Length; k++)
                {
                    var child = Child(node, gram[k]);
                    if (child < 0)
                    {
                        child = k == gram.Length - 1 ? slot : _nextFreeNode++;
                        if (child > (int)ChildMask) throw new InvalidOperationException("The character n-gram dictionary has more than 2^24 trie nodes.");
                        Insert(((ulong)node << 16) | gram[k], child);
                    }

                    node = child;
                }

                // Slots are distinct, so a gram that ends on a node numbered otherwise was already there.
                if (node != slot)
                    throw new InvalidOperationException($"Duplicate character n-gram '{gram}' in the coding model.");
            }
        }

        /// <summary>The root node (the empty prefix).</summary>
        public int Root { get; }

        /// <summary>Child of <paramref name="node"/> by <paramref name="c"/>, or -1.</summary>
        public int Child(int node, char c)
        {
            var key = ((ulong)node << 16) | c;
            var entries = _entries;
            var mask = entries.Length - 1;
            for (var i = Index(key, mask); ; i = (i + 1) & mask)
            {
                var entry = entries[i];
                if (entry == Empty) return -1;
                if (entry >> ChildBits == key) return (int)(entry & ChildMask);
            }
        }

        private void Insert(ulong key, int child)
        {
            // At most half full, so probe runs stay short.
            if (2 * (_count + 1) > _entries.Length)
            {
                var old = _entries;
                _entries = new ulong[old.Length * 2];
                Array.Fill(_entries, Empty);
                _count = 0;
                foreach (var entry in old)
                    if (entry != Empty) Insert(entry >> ChildBits, (int)(entry & ChildMask));
            }

            var mask = _entries.Length - 1;
            var j = Index(key, mask);
            while (_entries[j] != Empty) j = (j + 1) & mask;
            _entries[j] = (key << ChildBits) | (uint)child;
            _count++;
        }

        // The high bits of key × 2^64/φ, folded to the table size.
        private static int Index(ulong key, int mask) => (int)(key * 0x9E3779B97F4A7C15UL >> 40) & mask;
    }

    /// <summary>
    /// Open-addressing map from non-negative long keys to non-negative ints, with Fibonacci hashing. Dictionary&lt;long, int&gt;
    /// hashes a long as low ^ high 32 bits, so the word-bigram keys (id₁ + 1) · 2³² + (id₂ + 1) collided heavily
    /// (their lookups were 16 % of prediction time in a profile).
    /// </summary>
    private sealed class FlatTable
    {
        private const long Empty = -1;
        private long[] _keys = [Empty, Empty, Empty, Empty, Empty, Empty, Empty, Empty];
        private int[] _values = new int[8];
        private int _count;

        /// <summary>The value of <paramref name="key"/>, or -1.</summary>
        public int Find(long key)
        {
            var keys = _keys;
            var mask = keys.Length - 1;
            for (var i = Index(key, mask); ; i = (i + 1) & mask)
            {
                var found = keys[i];
                if (found == key) return _values[i];
                if (found == Empty) return -1;
            }
        }

        /// <summary>Adds a key that is not yet in the table.</summary>
        public void Add(long key, int value)
        {
            // At most half full, so probe runs stay short.
            if (2 * (_count + 1) > _keys.Length)
            {
                var (keys, values) = (_keys, _values);
                _keys = new long[keys.Length * 2];
                Array.Fill(_keys, Empty);
                _values = new int[keys.Length * 2];
                _count = 0;
                for (var i = 0; i < keys.Length; i++)
                    if (keys[i] != Empty) Add(keys[i], values[i]);
            }

            var mask = _keys.Length - 1;
            var j = Index(key, mask);
            while (_keys[j] != Empty) j = (j + 1) & mask;
            _keys[j] = key;
            _values[j] = value;
            _count++;
        }

        // The high bits of key × 2^64/φ, folded to the table size (at most 2^24 entries).
        private static int Index(long key, int mask) => (int)((ulong)key * 0x9E3779B97F4A7C15UL >> 40) & mask;
    }

    private sealed class TextOnly
    {
        public string Text { get; set; } = string.Empty;
    }
}
