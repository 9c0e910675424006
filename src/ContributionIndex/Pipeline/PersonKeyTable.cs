using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ContributionIndex.Pipeline;

/// <summary>
/// An open-addressing map from person id (ordinal, exact) to a value, for the person table of a valuation run: one
/// lookup per row and pass into tens or hundreds of thousands of ids. An id of up to 12 characters is kept inline in
/// its slot as three 64-bit words, so a lookup reads one slot and compares integers — no bucket array to go through
/// first and no key string elsewhere in memory to compare against (a <see cref="Dictionary{TKey,TValue}"/> costs up
/// to three cache misses per lookup: bucket, entry, key). Longer ids keep their string and are compared in full.
/// Equality is exact in both cases; the hash only chooses where to start probing. The map is never enumerated, so
/// its slot order cannot reach any output.
/// </summary>
internal sealed class PersonKeyTable<TValue>
    where TValue : struct
{
    private const int InlineChars = 12;

    private struct Slot
    {
        public ulong C0, C1, C2;

        /// <summary>The id's length + 1; 0 marks an empty slot.</summary>
        public int LengthPlusOne;

        public uint Hash;

        /// <summary>The id when it is longer than <see cref="InlineChars"/> characters, otherwise null.</summary>
        public string? Long;

        public TValue Value;
    }

    private Slot[] _slots = new Slot[1024];
    private int _count;

    /// <summary>Number of ids in the map.</summary>
    public int Count => _count;

    /// <summary>The value of <paramref name="id"/>, added as default when absent.</summary>
    public ref TValue GetOrAdd(string id)
    {
        if ((_count + 1) * 4L > _slots.Length * 3L) Grow();
        var key = new Key(id);
        var slots = _slots;
        for (var i = Start(key.Hash, slots.Length); ; i = Next(i, slots.Length))
        {
            ref var slot = ref slots[i];
            if (slot.LengthPlusOne == 0)
            {
                slot.C0 = key.C0;
                slot.C1 = key.C1;
                slot.C2 = key.C2;
                slot.LengthPlusOne = id.Length + 1;
                slot.Hash = key.Hash;
                slot.Long = id.Length > InlineChars ? id : null;
                _count++;
                return ref slot.Value;
            }

            if (key.Matches(ref slot, id)) return ref slot.Value;
        }
    }

    /// <summary>The value of <paramref name="id"/>, or a null reference when absent.</summary>
    public ref TValue Find(string id)
    {
        var key = new Key(id);
        var slots = _slots;
        for (var i = Start(key.Hash, slots.Length); ; i = Next(i, slots.Length))
        {
            ref var slot = ref slots[i];
            if (slot.LengthPlusOne == 0) return ref Unsafe.NullRef<TValue>();
            if (key.Matches(ref slot, id)) return ref slot.Value;
        }
    }

    /// <summary>
    /// The first slot to probe: the hash scaled to the table size (multiply and shift), so the size need not be a
    /// power of two and can grow by half (a table of 800,000 persons is ~1.1 M slots, not 2 M: less memory to miss in).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Start(uint hash, int length) => (int)(((ulong)hash * (uint)length) >> 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Next(int i, int length) => ++i == length ? 0 : i;

    /// <summary>Grows by half once the table is three quarters full, so the load stays between 1/2 and 3/4.</summary>
    private void Grow()
    {
        var old = _slots;
        var slots = new Slot[old.Length + (old.Length / 2)];
        foreach (ref var slot in old.AsSpan())
        {
            if (slot.LengthPlusOne == 0) continue;
            var i = Start(slot.Hash, slots.Length);
            while (slots[i].LengthPlusOne != 0) i = Next(i, slots.Length);
            slots[i] = slot;
        }

        _slots = slots;
    }

    private readonly ref struct Key
    {
        public readonly ulong C0, C1, C2;
        public readonly uint Hash;

        public Key(string id)
        {
            var bytes = MemoryMarshal.AsBytes(id.AsSpan());
            ulong hash;
            if (id.Length <= InlineChars)
            {
                Span<byte> words = stackalloc byte[InlineChars * sizeof(char)];
                words.Clear();
                bytes.CopyTo(words);
                C0 = MemoryMarshal.Read<ulong>(words);
                C1 = MemoryMarshal.Read<ulong>(words[8..]);
                C2 = MemoryMarshal.Read<ulong>(words[16..]);
                hash = Mix(C0 + Mix(C1 + Mix(C2 + (ulong)id.Length)));
            }
            else
            {
                hash = (ulong)id.Length;
                while (bytes.Length >= 8)
                {
                    hash = Mix(hash + MemoryMarshal.Read<ulong>(bytes));
                    bytes = bytes[8..];
                }

                foreach (var b in bytes) hash = (hash * 31) + b;
                hash = Mix(hash);
            }

            Hash = (uint)hash ^ (uint)(hash >> 32);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Matches(ref Slot slot, string id) =>
            slot.Hash == Hash && slot.LengthPlusOne == id.Length + 1 && slot.C0 == C0 && slot.C1 == C1 && slot.C2 == C2
            && (slot.Long is null || string.Equals(slot.Long, id, StringComparison.Ordinal));

        /// <summary>The finaliser of MurmurHash3 (64-bit): every input bit affects every output bit.</summary>
        private static ulong Mix(ulong x)
        {
            x ^= x >> 33;
            x *= 0xff51afd7ed558ccdUL;
            x ^= x >> 33;
            x *= 0xc4ceb9fe1a85ec53UL;
            x ^= x >> 33;
            return x;
        }
    }
}
