using ContributionIndex.Ingest;

namespace ContributionIndex.Pipeline;

/// <summary>One item read from an input: an accepted record or a row rejected at ingestion.</summary>
/// <param name="InputName">The input (its name in the study file) the row comes from.</param>
/// <param name="Record">The canonical record, when the row was accepted.</param>
/// <param name="Rejection">The rejected row, when it was not.</param>
public sealed record SourceItem(string InputName, VolunteerRecord? Record, RejectedRow? Rejection)
{
    /// <summary>An accepted record.</summary>
    public static SourceItem Of(VolunteerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new SourceItem(record.InputName, record, null);
    }

    /// <summary>A row rejected at ingestion.</summary>
    public static SourceItem Rejected(string inputName, RejectedRow rejection) => new(inputName, null, rejection);
}

/// <summary>
/// The records of a study, readable more than once (the run makes two streaming passes: person totals and donor
/// wages first, then checks and values).
/// </summary>
public interface IRecordSource
{
    /// <summary>Reads every input from the start, streaming.</summary>
    IEnumerable<SourceItem> Read();
}

/// <summary>A record source over items already in memory (tests and the library API).</summary>
public sealed class InMemoryRecordSource : IRecordSource
{
    private readonly IReadOnlyList<SourceItem> _items;

    /// <summary>Creates a source over items.</summary>
    public InMemoryRecordSource(IEnumerable<SourceItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = [.. items];
    }

    /// <summary>Creates a source over accepted records.</summary>
    public static InMemoryRecordSource Of(IEnumerable<VolunteerRecord> records) => new(records.Select(SourceItem.Of));

    /// <inheritdoc />
    public IEnumerable<SourceItem> Read() => _items;
}
