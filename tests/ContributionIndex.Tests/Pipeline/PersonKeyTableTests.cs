using System.Runtime.CompilerServices;
using ContributionIndex.Pipeline;

namespace ContributionIndex.Tests.Pipeline;

public class PersonKeyTableTests
{
    /// <summary>
    /// Ids around the inline limit of 12 characters, the empty id, ids that differ only in their last character or in
    /// a character beyond the 12th, non-ASCII and surrogate characters, and ids equal as text but distinct instances.
    /// </summary>
    private static List<string> Ids()
    {
        var ids = new List<string> { "", "a", "A", "KZ-V1", "KZ-V10", "123456789012", "123456789013", "1234567890123", "1234567890124",
            "12345678901234567890123456789012345", "12345678901234567890123456789012346", "Тажибаев-7", "👩‍🔬x", "a\0", "a\0\0" };
        for (var i = 0; i < 50_000; i++) ids.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(char)('A' + (i % 26))}-{i}{(i % 3 == 0 ? "-long-suffix-beyond-inline" : "")}"));
        return ids;
    }

    [Fact]
    public void Finds_exactly_what_a_dictionary_with_ordinal_keys_finds()
    {
        var table = new PersonKeyTable<long>();
        var reference = new Dictionary<string, long>(StringComparer.Ordinal);
        var ids = Ids();
        var random = new Random(2022);
        for (var step = 0; step < 200_000; step++)
        {
            var id = ids[random.Next(ids.Count)];
            table.GetOrAdd(id) += step;
            reference[id] = reference.GetValueOrDefault(id) + step;
        }

        Assert.Equal(reference.Count, table.Count);
        foreach (var id in ids)
        {
            // A copy of the id, another string instance, must find the same entry.
            ref var found = ref table.Find(new string(id.AsSpan()));
            Assert.Equal(reference.TryGetValue(id, out var expected), !Unsafe.IsNullRef(ref found));
            if (!Unsafe.IsNullRef(ref found)) Assert.Equal(expected, found);
        }

        Assert.True(Unsafe.IsNullRef(ref table.Find("not-an-id")));
        Assert.True(Unsafe.IsNullRef(ref table.Find("12345678901")));
        Assert.True(Unsafe.IsNullRef(ref table.Find("12345678901234567890123456789012347")));
    }
}
