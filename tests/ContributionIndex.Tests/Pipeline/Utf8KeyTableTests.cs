using System.Text;
using ContributionIndex.Pipeline.FastHourLog;
using FsCheck.Xunit;

namespace ContributionIndex.Tests.Pipeline;

/// <summary>
/// <see cref="Utf8KeyTable{TValue}"/>, the person table and parse caches of the hour-log fast path: dense ids in order
/// of first appearance, and exact byte equality of keys (inline up to 24 bytes, arena beyond).
/// </summary>
public class Utf8KeyTableTests
{
    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private static int Add(Utf8KeyTable<int> table, byte[] key)
    {
        table.GetOrAdd(key, out var id, out _);
        return id;
    }

    [Fact]
    public void Ids_are_dense_in_order_of_first_appearance()
    {
        var table = new Utf8KeyTable<int>();
        string[] keys = ["b", "a", "b", "c", "a", "", "Ким", "c"];
        int[] expected = [0, 1, 0, 2, 1, 3, 4, 2];
        bool[] expectedAdded = [true, true, false, true, false, true, true, false];
        for (var i = 0; i < keys.Length; i++)
        {
            table.GetOrAdd(B(keys[i]), out var id, out var added);
            Assert.Equal(expected[i], id);
            Assert.Equal(expectedAdded[i], added);
        }

        Assert.Equal(5, table.Count);
        Assert.Equal(B("Ким"), table.KeyOf(4).ToArray());
        Assert.Empty(table.KeyOf(3).ToArray());
    }

    public static TheoryData<string, string> DistinctPairs => new()
    {
        { "abcdefghijklmnopqrstuvwxA", "abcdefghijklmnopqrstuvwxB" },                         // differ only at byte 25
        { "abcdefghijklmnopqrstuvwx-long-tail-1", "abcdefghijklmnopqrstuvwx-long-tail-2" },   // differ only at the end
        { "abcdefghijklmnopqrstuvwx", "abcdefghijklmnopqrstuvwxy" },                         // 24 vs 25 bytes
        { "abc", "abcd" },                                                                    // differ only in length
        { "abcdefgh", "abcdefghi" },
        { "abcdefghijklmnop", "abcdefghijklmnopq" },
        { "a", "a\0" },                                                                       // trailing zero bytes
        { "\0", "\0\0" },
        { "abcdefgh", "abcdefgh\0\0\0\0" },
        { "abcdefghijklmnopqrstuvwx", "abcdefghijklmnopqrstuvwx\0" },
        { "", "\0" },                                                                         // empty vs non-empty
        { "", "a" },
        { "aXb", "abb" },                                                                     // middle byte of three
        { "abcde", "abXde" },                                                                 // middle bytes of 5
        { "abcdefghijk", "abcdeXghijk" },
        { "abcdefghijklmnopqrst", "abcdefghijXlmnopqrst" },
    };

    [Theory]
    [MemberData(nameof(DistinctPairs))]
    public void Keys_differing_in_any_byte_or_in_length_get_different_ids(string first, string second)
    {
        var table = new Utf8KeyTable<int>();
        var a = Add(table, B(first));
        var b = Add(table, B(second));
        Assert.NotEqual(a, b);
        Assert.Equal(2, table.Count);
        Assert.Equal(a, Add(table, B(first)));
        Assert.Equal(b, Add(table, B(second)));
        table.Find(B(first), out var foundA);
        table.Find(B(second), out var foundB);
        Assert.Equal((a, b), (foundA, foundB));
    }

    [Fact]
    public void Find_of_an_absent_key_gives_minus_one()
    {
        var table = new Utf8KeyTable<int>();
        Add(table, B("present"));
        Assert.True(System.Runtime.CompilerServices.Unsafe.IsNullRef(ref table.Find(B("absent"), out var id)));
        Assert.Equal(-1, id);
    }

    [Fact]
    public void Find_after_many_grows_and_values_by_id()
    {
        var table = new Utf8KeyTable<int>(capacity: 1);
        const int n = 50_000;
        string Key(int i) => i % 3 == 0 ? "person-" + i : i % 3 == 1 ? "a-much-longer-person-identifier-number-" + i : "Волонтёр-" + i;
        for (var i = 0; i < n; i++)
        {
            ref var value = ref table.GetOrAdd(B(Key(i)), out var id, out var added);
            Assert.True(added);
            Assert.Equal(i, id);
            value = i * 7;
        }

        Assert.Equal(n, table.Count);
        for (var i = 0; i < n; i++)
        {
            ref var value = ref table.Find(B(Key(i)), out var id);
            Assert.Equal(i, id);
            Assert.Equal(i * 7, value);
            Assert.Equal(B(Key(i)), table.KeyOf(i).ToArray());
        }

        var byId = new int[n];
        table.CopyValuesById(byId);
        Assert.All(Enumerable.Range(0, n), i => Assert.Equal(i * 7, byId[i]));
    }

    /// <summary>
    /// Against Dictionary&lt;string,int&gt;: keys drawn (with many repeats) from a pool of random byte strings of 0 to 40
    /// bytes, some sharing prefixes or differing by trailing zeros; ids, counts and summed values must agree.
    /// </summary>
    [Property(MaxTest = 200)]
    public bool Agrees_with_a_dictionary(int seed, byte poolSize, int[] picks)
    {
        var random = new Random(seed);
        var pool = new List<byte[]>();
        for (var i = 0; i < 1 + poolSize % 64; i++)
        {
            var key = new byte[random.Next(0, 41)];
            random.NextBytes(key);
            pool.Add(key);
            if (random.Next(4) == 0) pool.Add([.. key, 0]);
            if (random.Next(4) == 0 && key.Length > 0) pool.Add(key[..^1]);
            if (random.Next(4) == 0 && key.Length > 0)
            {
                var other = (byte[])key.Clone();
                other[random.Next(other.Length)] ^= 1;
                pool.Add(other);
            }
        }

        var table = new Utf8KeyTable<int>(capacity: 2);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var sums = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var pick in picks.Concat(Enumerable.Range(0, 300).Select(_ => random.Next())))
        {
            var key = pool[(int)((uint)pick % (uint)pool.Count)];
            var text = Convert.ToHexString(key);
            ref var value = ref table.GetOrAdd(key, out var id, out var added);
            var isNew = !ids.TryGetValue(text, out var expected);
            if (isNew)
            {
                expected = ids.Count;
                ids.Add(text, expected);
                sums[text] = 0;
            }

            if (added != isNew || id != expected || value != sums[text]) return false;
            value += 1;
            sums[text] += 1;
        }

        if (table.Count != ids.Count) return false;
        var byId = new int[table.Count];
        table.CopyValuesById(byId);
        foreach (var (text, id) in ids)
        {
            if (Convert.ToHexString(table.KeyOf(id)) != text || byId[id] != sums[text]) return false;
            table.Find(Convert.FromHexString(text), out var found);
            if (found != id) return false;
        }

        return true;
    }
}
