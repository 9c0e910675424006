namespace ContributionIndex.IO;

/// <summary>
/// Test seam for a full disk (hardening.md §1, "Disk full"): every file the toolkit writes — outputs and quarantine
/// through <see cref="AtomicFile"/>, spill and key-scan files through the scratch space — is opened by
/// <see cref="Open"/>. When a test has called <see cref="Simulate"/>, writes in that asynchronous flow fail with an
/// <see cref="IOException"/> worded as the operating system words ENOSPC once the given number of bytes has been
/// written in total; otherwise <see cref="Open"/> is <c>new FileStream(path, options)</c>.
/// </summary>
internal static class DiskFaults
{
    /// <summary>The message of the simulated failure (the text .NET gives ENOSPC on Linux).</summary>
    public const string NoSpaceMessage = "No space left on device";

    private static readonly AsyncLocal<Budget?> Current = new();

    /// <summary>Opens a file as <c>new FileStream(path, options)</c>, counting its writes against a simulated disk when one is set.</summary>
    public static FileStream Open(string path, FileStreamOptions options) =>
        Current.Value is { } budget && (options.Access & FileAccess.Write) != 0
            ? new LimitedFileStream(path, options, budget)
            : new FileStream(path, options);

    /// <summary>Makes writes in the current asynchronous flow fail after <paramref name="bytes"/> bytes in total, until disposed.</summary>
    public static IDisposable Simulate(long bytes)
    {
        var previous = Current.Value;
        Current.Value = new Budget(bytes);
        return new Restore(previous);
    }

    private sealed class Budget(long bytes)
    {
        private long _left = bytes;

        public void Take(int count)
        {
            if (count == 0) return;
            if (Interlocked.Add(ref _left, -count) < 0)
            {
                Interlocked.Add(ref _left, count);
                throw new IOException(NoSpaceMessage, 28); // 28 = ENOSPC
            }
        }
    }

    private sealed class Restore(Budget? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }

    private sealed class LimitedFileStream(string path, FileStreamOptions options, Budget budget) : FileStream(path, options)
    {
        public override void Write(byte[] buffer, int offset, int count)
        {
            budget.Take(count);
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            budget.Take(buffer.Length);
            base.Write(buffer);
        }

        public override void WriteByte(byte value)
        {
            budget.Take(1);
            base.WriteByte(value);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            budget.Take(count);
            return base.WriteAsync(buffer, offset, count, cancellationToken);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            budget.Take(buffer.Length);
            return base.WriteAsync(buffer, cancellationToken);
        }
    }
}
