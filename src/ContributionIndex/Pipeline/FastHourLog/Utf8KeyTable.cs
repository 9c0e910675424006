using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ContributionIndex.Pipeline.FastHourLog;

/// <summary>
/// A map from UTF-8 keys (a cell's bytes) to a value, giving each distinct key a dense id 0, 1, 2, … in order of first
/// appearance: the person table and the parse caches of the hour-log fast path (methodology/scale.md §9), which look
/// up spans straight from the CSV parser without making a string. A key of up to 24 bytes is kept inline in its slot
/// next to its value, so a lookup reads one slot and compares three integers; longer keys are compared in full against
/// a copy in a byte arena. Either way equality is exact: two keys share an id only when their bytes are equal. Open
/// addressing with linear probing; slots are never enumerated in an order that could reach an output.
/// </summary>
/// <typeparam name="TValue">The value kept with each key.</typeparam>
internal sealed class Utf8KeyTable<TValue>
    where TValue : struct
{
    private const int InlineBytes = 24;

    private struct Slot
    {
        public ulong W0, W1, W2;

        /// <summary>The hash's upper 24 bits and the key's length (capped at 255) in the low byte; 0 = empty slot.</summary>
        public uint Tag;

        public int Id;

        public TValue Value;
    }

    private Slot[] _slots;
    private byte[] _arena = new byte[256];
    private int _arenaUsed;
    private int[] _offsets = new int[64];
    private int[] _lengths = new int[64];
    private int _count;

    /// <summary>Creates an empty table sized for about <paramref name="capacity"/> keys.</summary>
    public Utf8KeyTable(int capacity = 16) =>
        _slots = new Slot[(int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity * 2))];

    /// <summary>Number of distinct keys.</summary>
    public int Count => _count;

    /// <summary>The value of <paramref name="key"/> and its <paramref name="id"/>, or a null reference (id -1) when absent.</summary>
    public ref TValue Find(ReadOnlySpan<byte> key, out int id) => ref Find(key, Utf8Key.Hash(key), out id);

    /// <summary>As <see cref="Find(ReadOnlySpan{byte}, out int)"/>, with the key's <see cref="Utf8Key.Hash"/> computed by the caller.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ref TValue Find(ReadOnlySpan<byte> key, uint hash, out int id)
    {
        var tag = Utf8Key.Tag(hash, key.Length);
        Utf8Key.Words(key, out var w0, out var w1, out var w2);
        var slots = _slots;
        var mask = slots.Length - 1;
        for (var i = (int)hash & mask; ; i = (i + 1) & mask)
        {
            ref var slot = ref slots[i];
            if (slot.Tag == 0)
            {
                id = -1;
                return ref Unsafe.NullRef<TValue>();
            }

            if (slot.Tag == tag && slot.W0 == w0 && slot.W1 == w1 && slot.W2 == w2 && (key.Length <= InlineBytes || KeyOf(slot.Id).SequenceEqual(key)))
            {
                id = slot.Id;
                return ref slot.Value;
            }
        }
    }

    /// <summary>The value of <paramref name="key"/> and its id, added as default with the next free id when new (<paramref name="added"/>).</summary>
    public ref TValue GetOrAdd(ReadOnlySpan<byte> key, out int id, out bool added) => ref GetOrAdd(key, Utf8Key.Hash(key), out id, out added);

    /// <summary>As <see cref="GetOrAdd(ReadOnlySpan{byte}, out int, out bool)"/>, with the key's <see cref="Utf8Key.Hash"/> computed by the caller.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ref TValue GetOrAdd(ReadOnlySpan<byte> key, uint hash, out int id, out bool added)
    {
        var tag = Utf8Key.Tag(hash, key.Length);
        Utf8Key.Words(key, out var w0, out var w1, out var w2);
        var slots = _slots;
        var mask = slots.Length - 1;
        var i = (int)hash & mask;
        for (; ; i = (i + 1) & mask)
        {
            ref var slot = ref slots[i];
            if (slot.Tag == 0) break;
            if (slot.Tag == tag && slot.W0 == w0 && slot.W1 == w1 && slot.W2 == w2 && (key.Length <= InlineBytes || KeyOf(slot.Id).SequenceEqual(key)))
            {
                added = false;
                id = slot.Id;
                return ref slot.Value;
            }
        }

        added = true;
        id = _count++;
        if (id == _offsets.Length)
        {
            Array.Resize(ref _offsets, id * 2);
            Array.Resize(ref _lengths, id * 2);
        }

        if (_arenaUsed + key.Length > _arena.Length)
            Array.Resize(ref _arena, (int)Math.Min(Array.MaxLength, Math.Max(_arena.Length * 2L, _arenaUsed + (long)key.Length)));
        key.CopyTo(_arena.AsSpan(_arenaUsed));
        _offsets[id] = _arenaUsed;
        _lengths[id] = key.Length;
        _arenaUsed += key.Length;
        slots[i] = new Slot { W0 = w0, W1 = w1, W2 = w2, Tag = tag, Id = id };
        if (_count * 4L <= slots.Length * 3L) return ref slots[i].Value;
        Grow();
        return ref Find(key, hash, out _);
    }

    /// <summary>The slot where a lookup of <paramref name="hash"/> starts (for a prefetch hint a few lookups ahead).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref byte StartOf(uint hash) => ref Unsafe.As<Slot, byte>(ref _slots[(int)hash & (_slots.Length - 1)]);

    /// <summary>The bytes of the key with id <paramref name="id"/>.</summary>
    public ReadOnlySpan<byte> KeyOf(int id) => _arena.AsSpan(_offsets[id], _lengths[id]);

    /// <summary>Copies every key's value to <paramref name="byId"/>[its id] (length at least <see cref="Count"/>).</summary>
    public void CopyValuesById(Span<TValue> byId)
    {
        foreach (ref readonly var slot in _slots.AsSpan())
        {
            if (slot.Tag != 0) byId[slot.Id] = slot.Value;
        }
    }

    private void Grow()
    {
        var slots = new Slot[_slots.Length * 2];
        var mask = slots.Length - 1;
        foreach (ref readonly var slot in _slots.AsSpan())
        {
            if (slot.Tag == 0) continue;
            var i = (int)Utf8Key.Hash(KeyOf(slot.Id)) & mask;
            while (slots[i].Tag != 0) i = (i + 1) & mask;
            slots[i] = slot;
        }

        _slots = slots;
    }
}

/// <summary>How <see cref="Utf8KeyTable{TValue}"/> hashes keys and packs them into words (callers may hash on another thread).</summary>
internal static class Utf8Key
{
    /// <summary>
    /// The first 24 bytes of a key as three words, injective for a given length: up to 8 bytes in one word, up to 16 in
    /// two (the second the key's last 8 bytes, overlapping the first), up to 24 in three; longer keys are compared in full.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Words(ReadOnlySpan<byte> key, out ulong w0, out ulong w1, out ulong w2)
    {
        var n = key.Length;
        w1 = 0;
        w2 = 0;
        if (n >= 8)
        {
            w0 = BinaryPrimitives.ReadUInt64LittleEndian(key);
            if (n > 16)
            {
                w1 = BinaryPrimitives.ReadUInt64LittleEndian(key[8..]);
                w2 = BinaryPrimitives.ReadUInt64LittleEndian(key[(Math.Min(n, 24) - 8)..]);
            }
            else if (n > 8)
            {
                w1 = BinaryPrimitives.ReadUInt64LittleEndian(key[(n - 8)..]);
            }
        }
        else if (n >= 4)
        {
            // The first 4 and the last 4 bytes (overlapping for n < 8) cover every byte.
            w0 = BinaryPrimitives.ReadUInt32LittleEndian(key) | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(key[(n - 4)..]) << 32);
        }
        else if (n > 0)
        {
            // The first, middle and last byte cover every byte of a key of 1 to 3 bytes.
            w0 = key[0] | ((ulong)key[n >> 1] << 8) | ((ulong)key[n - 1] << 16);
        }
        else
        {
            w0 = 0;
        }
    }

    /// <summary>A 32-bit hash of the key (its words and length, and for keys over 24 bytes every further byte).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Hash(ReadOnlySpan<byte> key)
    {
        Words(key, out var w0, out var w1, out var w2);
        var h = ((ulong)key.Length * 0x9E3779B97F4A7C15UL) ^ (w0 * 0xBF58476D1CE4E5B9UL) ^ BitOperations.RotateLeft(w1 * 0x94D049BB133111EBUL, 21)
            ^ BitOperations.RotateLeft(w2 * 0xD6E8FEB86659FD93UL, 42);
        for (var i = 24; i < key.Length; i++) h = (h ^ key[i]) * 0x100000001B3UL;
        h ^= h >> 31;
        h *= 0x9E3779B97F4A7C15UL;
        return (uint)(h >> 32);
    }

    /// <summary>The slot tag: the hash's upper 24 bits and the length (capped at 255), never 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Tag(uint hash, int length) => (hash & 0xFFFFFF00u) | (uint)Math.Min(length, 255) | (length == 0 ? 0x100u : 0u);
}
