namespace ContributionIndex.Ingest;

/// <summary>
/// Finds the repeated person × activity keys of one survey input in memory that does not grow with the file
/// (methodology/hardening.md §6). Keys arrive in line order as 128-bit digests; <see cref="FirstLineOf"/> says whether a
/// key was seen on an earlier line. While the distinct keys fit the memory budget they live in a compact open-addressing
/// table (24 bytes a slot, at most 70 % full). When the table would outgrow the budget the scan spills: the table and
/// the keys of every later line (one extra pass over the rest of the file, supplied by the caller) go to hash-partitioned
/// temporary files, each partition is sorted on its own within the budget, and the result is the list of later lines
/// whose key appeared before, with the first line of each. The answers are the same as the in-memory table's.
/// </summary>
internal sealed class DuplicateKeyScan : IDisposable
{
    /// <summary>The default memory budget for the key table and for one partition: 64 MiB (about 1.9 million keys in memory).</summary>
    public const long DefaultBudgetBytes = 64L << 20;

    // One slot or one spilled record: a 16-byte digest and an 8-byte line number.
    private const int EntryBytes = 24;
    private const int PartitionBits = 6;
    private const int Partitions = 1 << PartitionBits;
    private const int MinimumCapacity = 1024;

    private readonly long budgetBytes;
    private readonly Func<long, IEnumerable<(long Line, UInt128 Digest)>> keysAfter;
    private readonly int maximumCapacity;
    private UInt128[] digests = new UInt128[MinimumCapacity];
    private long[] lines = new long[MinimumCapacity]; // 0 marks an empty slot: data lines start at 1
    private int count;
    private (long Line, long FirstLine)[]? duplicatesAfterSpill;
    private int nextDuplicate;
    private string? scratchDirectory;
    private UInt128[] sortKeys = [];
    private long[] sortLines = [];

    /// <summary>Creates a scan with the given memory budget.</summary>
    /// <param name="budgetBytes">Bytes the key table and one partition may take (at least 64 KiB).</param>
    /// <param name="keysAfter">The accepted rows' (line, key digest) after a given line, in line order: a second read of the same input, used only if the scan spills.</param>
    public DuplicateKeyScan(long budgetBytes, Func<long, IEnumerable<(long Line, UInt128 Digest)>> keysAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(budgetBytes, 64L << 10);
        ArgumentNullException.ThrowIfNull(keysAfter);
        this.budgetBytes = budgetBytes;
        this.keysAfter = keysAfter;
        var capacity = MinimumCapacity;
        while ((long)capacity * 2 * EntryBytes <= budgetBytes && capacity < (1 << 30)) capacity *= 2;
        maximumCapacity = capacity;
    }

    /// <summary>Whether the scan has moved to temporary files (the input had more distinct keys than the budget holds).</summary>
    public bool Spilled => duplicatesAfterSpill is not null;

    /// <summary>Distinct keys held in memory before the scan spilled (or so far).</summary>
    public int KeysInMemory => count;

    /// <summary>
    /// The first line of <paramref name="digest"/> when an earlier line had it, else null (and the key is remembered).
    /// Calls must come in increasing line order, one per accepted row.
    /// </summary>
    public long? FirstLineOf(UInt128 digest, long line)
    {
        if (duplicatesAfterSpill is { } duplicates)
        {
            while (nextDuplicate < duplicates.Length && duplicates[nextDuplicate].Line < line) nextDuplicate++;
            return nextDuplicate < duplicates.Length && duplicates[nextDuplicate].Line == line ? duplicates[nextDuplicate].FirstLine : null;
        }

        var mask = digests.Length - 1;
        var slot = (int)(ulong)digest & mask;
        while (lines[slot] != 0)
        {
            if (digests[slot] == digest) return lines[slot];
            slot = (slot + 1) & mask;
        }

        digests[slot] = digest;
        lines[slot] = line;
        count++;
        if (count * 10L > digests.Length * 7L)
        {
            if (digests.Length < maximumCapacity) Grow();
            else Spill(line);
        }

        return null;
    }

    private void Grow()
    {
        var oldDigests = digests;
        var oldLines = lines;
        digests = new UInt128[oldDigests.Length * 2];
        lines = new long[oldLines.Length * 2];
        var mask = digests.Length - 1;
        for (var i = 0; i < oldDigests.Length; i++)
        {
            if (oldLines[i] == 0) continue;
            var slot = (int)(ulong)oldDigests[i] & mask;
            while (lines[slot] != 0) slot = (slot + 1) & mask;
            digests[slot] = oldDigests[i];
            lines[slot] = oldLines[i];
        }
    }

    /// <summary>Writes the table and the keys of every line after <paramref name="spillLine"/> to partitions, and finds the later duplicates.</summary>
    private void Spill(long spillLine)
    {
        try
        {
            SpillToPartitions(spillLine);
        }
        catch
        {
            // A full disk (or any failure) removes the partition files at once, not only when the scan is disposed.
            DeleteScratch();
            throw;
        }
    }

    private void SpillToPartitions(long spillLine)
    {
        scratchDirectory = Scratch.ScratchSpace.CreateFolder("keys-"); // owner-only, removed at exit or by the next run if killed
        SpillFolder = scratchDirectory;
        var paths = Enumerable.Range(0, Partitions).Select(p => Path.Combine(scratchDirectory, "p" + p.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        var writers = paths.Select(OpenWriter).ToArray();
        try
        {
            for (var i = 0; i < digests.Length; i++)
                if (lines[i] != 0) Write(writers[PartitionOf(digests[i], 0)], digests[i], lines[i]);

            // The table is on disk now: free it before the second read of the file.
            digests = [];
            lines = [];
            foreach (var (line, digest) in keysAfter(spillLine))
                Write(writers[PartitionOf(digest, 0)], digest, line);
        }
        finally
        {
            foreach (var writer in writers) writer.Dispose();
        }

        var duplicates = new List<(long Line, long FirstLine)>();
        foreach (var path in paths) CollectDuplicates(path, 1, duplicates);
        duplicates.Sort((a, b) => a.Line.CompareTo(b.Line));
        duplicatesAfterSpill = [.. duplicates];
        sortKeys = [];
        sortLines = [];
        DeleteScratch();
    }

    /// <summary>Adds the lines of one partition whose key has an earlier line; splits a partition larger than the budget by the next bits of the digest.</summary>
    private void CollectDuplicates(string path, int depth, List<(long Line, long FirstLine)> duplicates)
    {
        var entries = new FileInfo(path).Length / EntryBytes;
        if (entries * EntryBytes > budgetBytes && depth * PartitionBits + PartitionBits <= 64)
        {
            var parts = Enumerable.Range(0, Partitions).Select(p => path + "." + p.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var writers = parts.Select(OpenWriter).ToArray();
            try
            {
                foreach (var (digest, line) in ReadEntries(path)) Write(writers[PartitionOf(digest, depth)], digest, line);
            }
            finally
            {
                foreach (var writer in writers) writer.Dispose();
            }

            File.Delete(path);
            foreach (var part in parts) CollectDuplicates(part, depth + 1, duplicates);
            return;
        }

        // One pair of sort buffers serves every partition (grown to the largest), so partitions leave no garbage behind.
        if (sortKeys.Length < entries)
        {
            var size = Math.Max(entries, Math.Min(entries + entries / 4, budgetBytes / EntryBytes)); // headroom for the next partitions
            sortKeys = new UInt128[size];
            sortLines = new long[size];
        }

        var keys = sortKeys;
        var order = sortLines;
        var n = 0;
        foreach (var (digest, line) in ReadEntries(path))
        {
            keys[n] = digest;
            order[n++] = line;
        }

        File.Delete(path);
        Array.Sort(keys, order, 0, n);
        for (var start = 0; start < n;)
        {
            var end = start + 1;
            var first = order[start];
            while (end < n && keys[end] == keys[start])
            {
                first = Math.Min(first, order[end]);
                end++;
            }

            for (var i = start; i < end; i++)
                if (order[i] != first) duplicates.Add((order[i], first));
            start = end;
        }
    }

    /// <summary>Partition by 6 bits of the digest: the top bits first, the next ones when a partition is split again (the table uses the low bits).</summary>
    private static int PartitionOf(UInt128 digest, int depth) => (int)(ulong)(digest >> (128 - PartitionBits * (depth + 1))) & (Partitions - 1);

    private static BinaryWriter OpenWriter(string path) =>
        new(Scratch.ScratchSpace.Open(path, FileMode.CreateNew, FileAccess.Write, 1 << 16));

    private static void Write(BinaryWriter writer, UInt128 digest, long line)
    {
        writer.Write((ulong)digest);
        writer.Write((ulong)(digest >> 64));
        writer.Write(line);
    }

    private static IEnumerable<(UInt128 Digest, long Line)> ReadEntries(string path)
    {
        using var reader = new BinaryReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, 1 << 16));
        var entries = reader.BaseStream.Length / EntryBytes;
        for (long i = 0; i < entries; i++)
        {
            var low = reader.ReadUInt64();
            var high = reader.ReadUInt64();
            yield return (new UInt128(high, low), reader.ReadInt64());
        }
    }

    private void DeleteScratch()
    {
        if (scratchDirectory is null) return;
        try
        {
            Directory.Delete(scratchDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A scratch folder that cannot be removed (antivirus, open handle) only costs disk space.
        }
        catch (UnauthorizedAccessException)
        {
        }

        scratchDirectory = null;
    }

    /// <summary>The partition folder of the spill, once there was one (kept after its removal, for tests).</summary>
    internal string? SpillFolder { get; private set; }

    /// <summary>Removes the temporary files when the scan stops early (an exception or an abandoned enumeration).</summary>
    public void Dispose() => DeleteScratch();
}
