using ContributionIndex.Diagnostics;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;

namespace ContributionIndex.Tests.Pipeline;

public class PrefetchingRecordSourceTests
{
    private static IngestItem Rejected(int line) =>
        new(null, new RejectedRow(new SourceLocation("log.csv", line, 1, "hours"), "hours.negative", "negative.", "-1")) { InputName = "log" };

    private sealed class FailingSource(int failAfter) : IRecordSource
    {
        public IEnumerable<IngestItem> Read()
        {
            for (var i = 0; i < failAfter; i++) yield return Rejected(i + 2);
            throw new InputDataException(new SourceLocation("log.csv", failAfter + 2, 0, null), "the quote is not closed.", "Close it.");
        }
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 1, 1)]
    [InlineData(1000, 7, 2)]
    [InlineData(10_000, 1024, 8)]
    public void Yields_the_inner_items_in_order(int count, int batch, int capacity)
    {
        var items = Enumerable.Range(0, count).Select(i => Rejected(i + 2)).ToArray();
        var prefetched = new PrefetchingRecordSource(new InMemoryRecordSource(items), batch, capacity).Read().ToList();
        Assert.Equal(items, prefetched);
    }

    [Fact]
    public void An_inner_exception_arrives_after_the_items_before_it_with_its_type_and_message()
    {
        var seen = new List<IngestItem>();
        var source = new PrefetchingRecordSource(new FailingSource(2500), batchSize: 100, capacity: 2);
        var error = Assert.Throws<InputDataException>(() => { foreach (var item in source.Read()) seen.Add(item); });
        Assert.Contains("the quote is not closed", error.Message);
        Assert.Equal(2500, seen.Count);
    }

    [Fact]
    public void Stopping_early_ends_the_producer()
    {
        var items = Enumerable.Range(0, 100_000).Select(i => Rejected(i + 2)).ToArray();
        var first = new PrefetchingRecordSource(new InMemoryRecordSource(items), batchSize: 16, capacity: 2).Read().Take(5).ToList();
        Assert.Equal(items.Take(5), first);
    }
}
