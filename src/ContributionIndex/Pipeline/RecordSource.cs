using ContributionIndex.Ingest;

namespace ContributionIndex.Pipeline;

/// <summary>
/// The records of a study, readable more than once (the run makes two streaming passes: person totals and donor
/// wages first, then checks and values).
/// </summary>
public interface IRecordSource
{
    /// <summary>Reads every input from the start, streaming: accepted records and rows rejected at ingestion.</summary>
    IEnumerable<IngestItem> Read();

    /// <summary>The 1-based column of a canonical field in an input's file, when known (for messages); null otherwise.</summary>
    int? ColumnOf(string inputName, string field) => null;
}

/// <summary>A record source over items already in memory (tests and the library API).</summary>
public sealed class InMemoryRecordSource : IRecordSource
{
    private readonly IReadOnlyList<IngestItem> _items;

    /// <summary>Creates a source over items.</summary>
    public InMemoryRecordSource(IEnumerable<IngestItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = [.. items];
    }

    /// <summary>Creates a source over accepted records.</summary>
    public static InMemoryRecordSource Of(IEnumerable<VolunteerRecord> records) =>
        new(records.Select(record => new IngestItem(record, null) { InputName = record.InputName }));

    /// <inheritdoc />
    public IEnumerable<IngestItem> Read() => _items;
}
