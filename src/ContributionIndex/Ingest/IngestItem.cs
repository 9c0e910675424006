namespace ContributionIndex.Ingest;

/// <summary>One row read from an input: either an accepted record or a rejection (exactly one of the two is set).</summary>
/// <param name="Record">The canonical record, when the row was accepted.</param>
/// <param name="Rejection">Why the row was refused, when it was rejected.</param>
public readonly record struct IngestItem(VolunteerRecord? Record, RejectedRow? Rejection)
{
    /// <summary>The input the row belongs to (its name in the study file).</summary>
    public string InputName { get; init; } = "";

    /// <summary>Whether the row was accepted.</summary>
    public bool IsAccepted => Record is not null;
}

/// <summary>Counts of rows read, accepted and rejected per input; read = accepted + rejected always holds.</summary>
public sealed class IngestCounts
{
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly List<string> order = [];

    /// <summary>The counts of one input.</summary>
    /// <param name="Input">Input name.</param>
    /// <param name="Accepted">Rows accepted.</param>
    /// <param name="Rejected">Rows rejected (each in the quarantine file).</param>
    public sealed record Entry(string Input, long Accepted, long Rejected)
    {
        /// <summary>Data rows read (header and blank lines excluded).</summary>
        public long Read => Accepted + Rejected;
    }

    /// <summary>Counts one item.</summary>
    public void Add(IngestItem item)
    {
        if (!entries.TryGetValue(item.InputName, out var entry))
        {
            entry = new Entry(item.InputName, 0, 0);
            order.Add(item.InputName);
        }

        entries[item.InputName] = item.IsAccepted ? entry with { Accepted = entry.Accepted + 1 } : entry with { Rejected = entry.Rejected + 1 };
    }

    /// <summary>Makes sure an input appears in the counts even when it had no rows.</summary>
    public void Touch(string inputName)
    {
        if (entries.ContainsKey(inputName)) return;
        entries[inputName] = new Entry(inputName, 0, 0);
        order.Add(inputName);
    }

    /// <summary>The counts per input, in the order inputs were first seen.</summary>
    public IReadOnlyList<Entry> PerInput => [.. order.Select(name => entries[name])];

    /// <summary>The counts of one input (zeros when it was never seen).</summary>
    public Entry For(string inputName) => entries.TryGetValue(inputName, out var entry) ? entry : new Entry(inputName, 0, 0);

    /// <summary>Rows read over all inputs.</summary>
    public long Read => Accepted + Rejected;

    /// <summary>Rows accepted over all inputs.</summary>
    public long Accepted => entries.Values.Sum(e => e.Accepted);

    /// <summary>Rows rejected over all inputs.</summary>
    public long Rejected => entries.Values.Sum(e => e.Rejected);

    /// <summary>
    /// Throws <see cref="Diagnostics.RejectionToleranceExceededException"/> when the share of rejected rows is above
    /// <paramref name="tolerance"/> (0–1).
    /// </summary>
    public void EnsureWithin(double tolerance, string quarantinePath)
    {
        if (Rejected > 0 && Rejected > tolerance * Read)
            throw new Diagnostics.RejectionToleranceExceededException(Read, Rejected, tolerance, quarantinePath);
    }
}
