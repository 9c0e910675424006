using System.Buffers.Binary;
using System.Globalization;
using ContributionIndex.Diagnostics;

namespace ContributionIndex.Ingest;

/// <summary>
/// A forward reader of a binary data file (SPSS, Stata) over a buffered stream, with the byte order of the file and its
/// absolute byte offset: every short read is an <see cref="InputDataException"/> that names the file, the byte offset
/// and what was being read, so a truncated file never surfaces as an end-of-stream exception.
/// </summary>
internal sealed class BinaryCursor : IDisposable
{
    private readonly Stream stream;
    private readonly byte[] buffer;
    private int start;
    private int end;
    private long bufferOffset;

    public BinaryCursor(Stream stream, string displayName, int bufferSize = 1 << 16)
    {
        this.stream = stream;
        DisplayName = displayName;
        buffer = new byte[bufferSize];
    }

    /// <summary>The file as messages name it.</summary>
    public string DisplayName { get; }

    /// <summary>Whether multi-byte numbers are big-endian.</summary>
    public bool BigEndian { get; set; }

    /// <summary>The absolute byte offset of the next byte to read.</summary>
    public long Offset => bufferOffset + start;

    /// <summary>Whether the end of the stream has been reached.</summary>
    public bool AtEnd => start == end && Fill(1) == 0;

    /// <summary>The error for a file whose structure is wrong at <paramref name="offset"/>.</summary>
    public InputDataException Error(long offset, string what, string? hint = null) =>
        new(SourceLocation.OfFile(DisplayName), string.Create(CultureInfo.InvariantCulture, $"at byte offset {offset}: {what}"),
            hint ?? "The file is damaged or not the format it claims; export it again from the statistics package.");

    /// <summary>Bytes <paramref name="count"/> ahead, without consuming them (fewer at the end of the file).</summary>
    public ReadOnlySpan<byte> Peek(int count)
    {
        var available = Fill(count);
        return buffer.AsSpan(start, Math.Min(count, available));
    }

    /// <summary>The next <paramref name="count"/> bytes (valid until the next read); a short file is an error naming <paramref name="what"/>.</summary>
    public ReadOnlySpan<byte> Bytes(int count, string what)
    {
        if (count > buffer.Length) throw new InvalidOperationException("Use ReadInto for reads larger than the buffer.");
        if (Fill(count) < count) throw Truncated(what);
        var span = buffer.AsSpan(start, count);
        start += count;
        return span;
    }

    /// <summary>Reads exactly <paramref name="target"/>.Length bytes into <paramref name="target"/>; a short file is an error.</summary>
    public void ReadInto(Span<byte> target, string what)
    {
        while (target.Length > 0)
        {
            var available = Fill(Math.Min(target.Length, buffer.Length));
            if (available == 0) throw Truncated(what);
            var n = Math.Min(available, target.Length);
            buffer.AsSpan(start, n).CopyTo(target);
            start += n;
            target = target[n..];
        }
    }

    /// <summary>Reads up to <paramref name="target"/>.Length bytes; returns how many were read (0 at the end).</summary>
    public int ReadSome(Span<byte> target)
    {
        var available = Fill(Math.Min(target.Length, buffer.Length));
        var n = Math.Min(available, target.Length);
        buffer.AsSpan(start, n).CopyTo(target);
        start += n;
        return n;
    }

    /// <summary>Skips <paramref name="count"/> bytes; a short file is an error.</summary>
    public void Skip(long count, string what)
    {
        while (count > 0)
        {
            var available = Fill((int)Math.Min(count, buffer.Length));
            if (available == 0) throw Truncated(what);
            var n = (int)Math.Min(available, count);
            start += n;
            count -= n;
        }
    }

    /// <summary>Moves to an absolute offset (the stream must be seekable).</summary>
    public void Seek(long offset)
    {
        if (offset >= bufferOffset && offset <= bufferOffset + end)
        {
            start = (int)(offset - bufferOffset);
            return;
        }

        stream.Seek(offset, SeekOrigin.Begin);
        bufferOffset = offset;
        start = end = 0;
    }

    /// <summary>The length of the underlying stream.</summary>
    public long Length => stream.Length;

    public byte Byte(string what) => Bytes(1, what)[0];

    public short Int16(string what) { var b = Bytes(2, what); return BigEndian ? BinaryPrimitives.ReadInt16BigEndian(b) : BinaryPrimitives.ReadInt16LittleEndian(b); }

    public ushort UInt16(string what) { var b = Bytes(2, what); return BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b); }

    public int Int32(string what) { var b = Bytes(4, what); return BigEndian ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b); }

    public uint UInt32(string what) { var b = Bytes(4, what); return BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b); }

    public long Int64(string what) { var b = Bytes(8, what); return BigEndian ? BinaryPrimitives.ReadInt64BigEndian(b) : BinaryPrimitives.ReadInt64LittleEndian(b); }

    public double Double(string what) { var b = Bytes(8, what); return BigEndian ? BinaryPrimitives.ReadDoubleBigEndian(b) : BinaryPrimitives.ReadDoubleLittleEndian(b); }

    /// <summary>A number of this file's byte order from a span.</summary>
    public double DoubleAt(ReadOnlySpan<byte> b) => BigEndian ? BinaryPrimitives.ReadDoubleBigEndian(b) : BinaryPrimitives.ReadDoubleLittleEndian(b);

    public InputDataException Truncated(string what) =>
        Error(Offset, $"the file ends while reading {what} (it is truncated).", "Copy or export the file again; it is incomplete.");

    /// <summary>Ensures that up to <paramref name="count"/> bytes are buffered from <see cref="start"/>; returns how many are.</summary>
    private int Fill(int count)
    {
        var available = end - start;
        if (available >= count) return available;
        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, available);
            bufferOffset += start;
            start = 0;
            end = available;
        }

        while (end < count)
        {
            var n = stream.Read(buffer, end, buffer.Length - end);
            if (n == 0) break;
            end += n;
        }

        return end - start;
    }

    public void Dispose() => stream.Dispose();
}
