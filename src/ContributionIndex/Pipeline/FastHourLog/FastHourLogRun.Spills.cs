using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ContributionIndex.Pipeline.FastHourLog;

// The files that carry rows from pass 1 to pass 2 (methodology/scale.md §9).
internal sealed partial class FastHourLogRun
{
    /// <summary>
    /// The person and activity ids of the regular rows between the passes, in row order, in a temporary file deleted
    /// on close: per row the person id's length (2 bytes) and bytes, the activity id's length (1 byte; 255: none) and
    /// bytes. Read back through a block buffer.
    /// </summary>
    private sealed class TextSpill : IDisposable
    {
        private const byte Absent = 255;
        private const int BlockBytes = 1 << 20;
        private readonly byte[] _block = new byte[BlockBytes];
        private int _position;
        private int _length;
        private FileStream? _spill;

        // Made on the first row (inside pass 1's handling of file errors).
        private FileStream File => _spill ??= OpenScratch(".ids.spill", 1 << 16);

        public void Write(ReadOnlySpan<byte> person, ReadOnlySpan<byte> activity, bool noActivity)
        {
            var size = 3 + person.Length + activity.Length;
            if (BlockBytes - _length < size) FlushBlock();
            var block = _block.AsSpan(_length);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(block, (ushort)person.Length);
            person.CopyTo(block[2..]);
            block[2 + person.Length] = noActivity ? Absent : (byte)activity.Length;
            activity.CopyTo(block[(3 + person.Length)..]);
            _length += size;
        }

        private void FlushBlock()
        {
            File.Write(_block, 0, _length);
            _length = 0;
        }

        public void StartReading()
        {
            if (_length > 0) FlushBlock();
            if (_spill is null) return;
            _spill.Flush();
            _spill.Seek(0, SeekOrigin.Begin);
            _position = _length = 0;
        }

        /// <summary>The next row's person id and activity id; false when the row has no activity id.</summary>
        public bool Next(out ReadOnlySpan<byte> person, out ReadOnlySpan<byte> activity)
        {
            Ensure(2);
            var personLength = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(_block.AsSpan(_position));
            Ensure(3 + personLength);
            var activityLength = _block[_position + 2 + personLength];
            var present = activityLength != Absent;
            var size = 3 + personLength + (present ? activityLength : 0);
            Ensure(size);
            person = _block.AsSpan(_position + 2, personLength);
            activity = present ? _block.AsSpan(_position + 3 + personLength, activityLength) : default;
            _position += size;
            return present;
        }

        public void Skip() => Next(out _, out _);

        /// <summary>Makes at least <paramref name="bytes"/> unread bytes available from the current position.</summary>
        private void Ensure(int bytes)
        {
            if (_length - _position >= bytes) return;
            var left = _length - _position;
            _block.AsSpan(_position, left).CopyTo(_block);
            _length = left;
            _position = 0;
            while (_length < bytes)
            {
                var read = File.Read(_block, _length, BlockBytes - _length);
                if (read == 0) throw new InvalidOperationException("The id spill ended before the rows.");
                _length += read;
            }
        }

        public void Dispose() => _spill?.Dispose();
    }

    /// <summary>A new owner-only file in the run's private scratch folder (<see cref="Scratch.ScratchSpace"/>), deleted when closed.</summary>
    private static FileStream OpenScratch(string suffix, int bufferBytes) =>
        Scratch.ScratchSpace.CreateFile(suffix, FileAccess.ReadWrite, bufferBytes, FileOptions.DeleteOnClose | FileOptions.SequentialScan);

    /// <summary>One row of the spill: its shape (-1: the next row of the general path), its person and its line.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct SpillEntry(int Shape, int Person, long Line);

    /// <summary>
    /// The rows between the passes, 16 bytes each, in a temporary file deleted on close: memory stays independent of
    /// the number of rows (methodology/scale.md §2).
    /// </summary>
    private sealed class SpillFile : IDisposable
    {
        private const int BufferEntries = 1 << 16;
        private readonly SpillEntry[] _buffer = new SpillEntry[BufferEntries];
        private int _buffered;
        private FileStream? _file;

        public void Write(SpillEntry entry)
        {
            if (_buffered == BufferEntries) Flush();
            _buffer[_buffered++] = entry;
        }

        private void Flush()
        {
            _file ??= OpenScratch(".spill", 1 << 20);
            _file.Write(MemoryMarshal.AsBytes(_buffer.AsSpan(0, _buffered)));
            _buffered = 0;
        }

        private int _tail;

        /// <summary>Ends writing: the last entries stay in the buffer (all of them for a short log, which never touches the disk).</summary>
        public void StartReading()
        {
            _tail = _buffered;
            _file?.Flush();
            _file?.Seek(0, SeekOrigin.Begin);
        }

        /// <summary>Hands the entries to <paramref name="process"/> in order, a chunk at a time.</summary>
        public void ReadAll(Action<ReadOnlySpan<SpillEntry>> process)
        {
            if (_file is not null)
            {
                var chunk = new SpillEntry[BufferEntries];
                var length = _file.Length;
                while (_file.Position < length)
                {
                    var bytes = MemoryMarshal.AsBytes(chunk.AsSpan());
                    var want = (int)Math.Min(bytes.Length, length - _file.Position);
                    _file.ReadExactly(bytes[..want]);
                    process(chunk.AsSpan(0, want / Unsafe.SizeOf<SpillEntry>()));
                }
            }

            process(_buffer.AsSpan(0, _tail));
        }

        public void Dispose() => _file?.Dispose();
    }
}
