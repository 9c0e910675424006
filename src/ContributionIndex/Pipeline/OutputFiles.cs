using System.Globalization;
using System.Text;
using ContributionIndex.IO;

namespace ContributionIndex.Pipeline;

/// <summary>Writes CSV rows by the CSV text policy (<see cref="CsvText"/>), with "\n" line ends.</summary>
internal sealed class CsvRowWriter
{
    private readonly TextWriter? _writer;
    private readonly Stream? _stream;
    private readonly byte[] _buffer = [];
    private int _used;
    private readonly RoundTripNumberCache _numbers = new();
    private bool _first = true;

    public CsvRowWriter(TextWriter writer) => _writer = writer;

    /// <summary>
    /// A writer that encodes straight to UTF-8 (no byte order mark) into its own buffer and writes it to
    /// <paramref name="stream"/>: the same bytes as a UTF-8 <see cref="StreamWriter"/> without the detour through its
    /// char buffer (valued_records.csv has one row per input row; methodology/scale.md). Call <see cref="Flush"/> before
    /// the stream is closed.
    /// </summary>
    public CsvRowWriter(Stream stream)
    {
        _stream = stream;
        _buffer = new byte[1 << 16];
    }

    /// <summary>Writes a header row.</summary>
    public void Header(IEnumerable<string> names)
    {
        foreach (var name in names) Text(name);
        End();
    }

    /// <summary>Writes a text field from the input: quoted when needed, and never left to start a spreadsheet formula.</summary>
    public CsvRowWriter Text(string? value)
    {
        Separator();
        if (string.IsNullOrEmpty(value)) return this;
        TextBody(value);
        return this;
    }

    /// <summary>
    /// As <see cref="Text"/> for a value given as UTF-8 bytes (the hour-log fast path's person and activity ids): the
    /// same bytes as <see cref="Text"/> of the decoded string — copied as they are when the value needs neither quotes
    /// nor the formula guard, else decoded and written by <see cref="Text"/>'s own rules.
    /// </summary>
    public CsvRowWriter TextUtf8(ReadOnlySpan<byte> value)
    {
        Separator();
        if (value.IsEmpty) return this;
        if (!CsvText.IsPlain(value) || _stream is null)
        {
            TextBody(Encoding.UTF8.GetString(value));
            return this;
        }

        if (_buffer.Length - _used < value.Length) Flush();
        if (_buffer.Length < value.Length)
        {
            _stream.Write(value);
            return this;
        }

        value.CopyTo(_buffer.AsSpan(_used));
        _used += value.Length;
        return this;
    }

    /// <summary>Appends bytes that end the row (fields with their separators, and the line end) made by <see cref="Prepare"/>.</summary>
    public void EndWith(ReadOnlySpan<byte> tail)
    {
        Append(tail);
        _first = true;
    }

    /// <summary>Starts a row with the bytes of its first fields, made by <see cref="Prepare"/> with <c>continuation: false</c>.</summary>
    public CsvRowWriter StartWith(ReadOnlySpan<byte> head)
    {
        Append(head);
        _first = false;
        return this;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_stream is null) throw new InvalidOperationException("Prepared bytes need a stream writer.");
        if (_buffer.Length - _used < bytes.Length) Flush();
        if (_buffer.Length < bytes.Length)
        {
            _stream.Write(bytes);
            return;
        }

        bytes.CopyTo(_buffer.AsSpan(_used));
        _used += bytes.Length;
    }

    /// <summary>
    /// The bytes a stream writer writes for <paramref name="fields"/>: with <paramref name="continuation"/>, written
    /// after at least one field of a row (so they start with a separator) and ending the row — a tail appended by
    /// <see cref="EndWith"/>; without, the first fields of a row — a head written by <see cref="StartWith"/>. Prepared
    /// once for every row that shares them.
    /// </summary>
    public static byte[] Prepare(Action<CsvRowWriter> fields, bool continuation = true)
    {
        ArgumentNullException.ThrowIfNull(fields);
        using var buffer = new MemoryStream();
        var writer = new CsvRowWriter(buffer) { _first = !continuation };
        fields(writer);
        writer.Flush();
        return buffer.ToArray();
    }

    private void TextBody(string value) => Write(CsvText.Text(value));

    /// <summary>Writes a number in invariant round-trip form (empty when null, NaN or ±∞).</summary>
    public CsvRowWriter Number(double? value)
    {
        Separator();
        if (value is { } v && double.IsFinite(v)) Write(_numbers.Format(v));
        return this;
    }

    /// <summary>Writes an integer (empty when null).</summary>
    public CsvRowWriter Integer(long? value)
    {
        Separator();
        if (value is { } v)
        {
            Span<char> digits = stackalloc char[20];
            v.TryFormat(digits, out var length, default, CultureInfo.InvariantCulture);
            Write(digits[..length]);
        }

        return this;
    }

    /// <summary>Ends the row.</summary>
    public void End()
    {
        Write('\n');
        _first = true;
    }

    /// <summary>Writes the buffered bytes of a stream writer to its stream (nothing to do for a text writer).</summary>
    public void Flush()
    {
        if (_stream is null || _used == 0) return;
        _stream.Write(_buffer, 0, _used);
        _used = 0;
    }

    private void Separator()
    {
        if (!_first) Write(',');
        _first = false;
    }

    private void Write(char c)
    {
        if (_writer is not null)
        {
            _writer.Write(c);
            return;
        }

        // Only ASCII characters (separators, line ends) come here.
        if (_used == _buffer.Length) Flush();
        _buffer[_used++] = (byte)c;
    }

    private void Write(ReadOnlySpan<char> text)
    {
        if (_writer is not null)
        {
            _writer.Write(text);
            return;
        }

        // Each call encodes whole fields, so a surrogate pair is never split between calls; a lone surrogate becomes
        // U+FFFD as with the stream writer's encoder (both use the replacement fallback).
        var most = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_buffer.Length - _used < most) Flush();
        if (_buffer.Length < most)
        {
            _stream!.Write(Encoding.UTF8.GetBytes(text.ToArray()));
            return;
        }

        _used += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_used));
    }
}

/// <summary>
/// The round-trip ("R") text of doubles, remembered in a small direct-mapped table keyed by the value's bits: values
/// repeat heavily in valued_records.csv (hours × wage per ISCO code and country, factors, wages), and formatting a double
/// was the largest single cost of writing it (methodology/scale.md). A hit returns the very string a miss produced, so
/// the output is the text of <c>value.ToString("R", CultureInfo.InvariantCulture)</c> by construction.
/// </summary>
internal sealed class RoundTripNumberCache
{
    private const int SlotBits = 14;
    private readonly long[] _bits = new long[1 << SlotBits];
    private readonly string?[] _texts = new string?[1 << SlotBits];

    /// <summary>The value's round-trip text in the invariant culture.</summary>
    public string Format(double value)
    {
        var bits = BitConverter.DoubleToInt64Bits(value);
        // Fibonacci hashing: the top bits of bits × 2⁶⁴/φ spread nearby values over the table.
        var slot = (int)((ulong)bits * 0x9E3779B97F4A7C15UL >> (64 - SlotBits));
        var text = _texts[slot];
        if (text is not null && _bits[slot] == bits) return text;
        text = value.ToString("R", CultureInfo.InvariantCulture);
        _texts[slot] = text;
        _bits[slot] = bits;
        return text;
    }
}

/// <summary>
/// A write-only stream that hands its bytes to another thread, which writes them to the inner stream in order: the
/// hour-log fast path formats valued_records.csv on one core while the copy into the file (gigabytes for tens of millions
/// of rows) runs on the other. <see cref="Flush"/> returns once every byte written so far is in the inner stream; an
/// error of the writing thread is thrown by the next call.
/// </summary>
internal sealed class BackgroundWriteStream : Stream
{
    private const int BlockBytes = 1 << 20;
    private readonly Stream _inner;
    private readonly System.Collections.Concurrent.BlockingCollection<(byte[] Block, int Length)> _full = new(boundedCapacity: 4);
    private readonly System.Collections.Concurrent.BlockingCollection<byte[]> _free = new();
    private readonly Thread _thread;
    private byte[] _block = new byte[BlockBytes];
    private int _used;
    private long _queued;
    private long _written;
    private Exception? _error;
    private bool _disposed;

    public BackgroundWriteStream(Stream inner)
    {
        _inner = inner;
        _thread = new Thread(WriteBlocks) { IsBackground = true, Name = "valued_records.csv writer" };
        _thread.Start();
    }

    private void WriteBlocks()
    {
        foreach (var (block, length) in _full.GetConsumingEnumerable())
        {
            try
            {
                if (_error is null) _inner.Write(block, 0, length);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _error = ex;
            }

            _free.Add(block);
            lock (_full)
            {
                _written++;
                Monitor.PulseAll(_full);
            }
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfFailed();
        while (!buffer.IsEmpty)
        {
            var n = Math.Min(buffer.Length, BlockBytes - _used);
            buffer[..n].CopyTo(_block.AsSpan(_used));
            _used += n;
            buffer = buffer[n..];
            if (_used == BlockBytes) Hand();
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    private void Hand()
    {
        _full.Add((_block, _used));
        _queued++;
        _block = _free.TryTake(out var free) ? free : new byte[BlockBytes];
        _used = 0;
    }

    public override void Flush()
    {
        if (_used > 0) Hand();
        lock (_full)
        {
            while (_written < _queued) Monitor.Wait(_full);
        }

        ThrowIfFailed();
        _inner.Flush();
    }

    private void ThrowIfFailed()
    {
        if (_error is { } error) throw new IOException(error.Message, error);
    }

    protected override void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _disposed = true;
            _full.CompleteAdding();
            _thread.Join();
            _full.Dispose();
            _free.Dispose();
        }

        base.Dispose(disposing);
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
