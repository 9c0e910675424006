using System.Runtime.ExceptionServices;
using ContributionIndex.Ingest;

namespace ContributionIndex.Pipeline;

/// <summary>
/// Reads another source on a background thread, in order, handing batches to the consumer through a bounded blocking queue
/// (methodology/scale.md, "Parallelism"): parsing and mapping run on one core while checks, valuation and writing run on
/// the other. Memory is bounded by <c>capacity × batchSize</c> items; the items and their order are those of the inner
/// source, and an exception of the inner source reaches the consumer at the same point of the sequence, unchanged.
/// </summary>
internal sealed class PrefetchingRecordSource : IRecordSource
{
    /// <summary>Items per batch handed over (amortises the hand-over's synchronisation).</summary>
    /// <remarks>
    /// Small on purpose: items waiting in the queue are live at every garbage collection and get promoted; 4 × 256
    /// in flight instead of 8 × 1,024 cut the peak memory of a 1 M-row run by 40 % and its CPU time by about 5 %
    /// (methodology/scale.md §8).
    /// </remarks>
    public const int DefaultBatchSize = 256;

    /// <summary>Batches in flight at most.</summary>
    public const int DefaultCapacity = 4;

    private readonly IRecordSource _inner;
    private readonly int _batchSize;
    private readonly int _capacity;

    public PrefetchingRecordSource(IRecordSource inner, int batchSize = DefaultBatchSize, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _inner = inner;
        _batchSize = batchSize;
        _capacity = capacity;
    }

    public int? ColumnOf(string inputName, string field) => _inner.ColumnOf(inputName, field);

    public IEnumerable<IngestItem> Read()
    {
        // A blocking hand-over between two dedicated threads. (A Channel awaited synchronously completed every wait on a
        // thread-pool thread, and the pool's workers and the task waits spun between batches: about a third of the
        // samples of a 300,000-row run were spinning; methodology/scale.md §8.)
        using var full = new System.Collections.Concurrent.BlockingCollection<IngestItem[]>(
            new System.Collections.Concurrent.ConcurrentQueue<IngestItem[]>(), _capacity);
        // Consumed batches go back to the producer (cleared, so they keep nothing alive): a handful of arrays serve
        // the whole run instead of one new array per batch.
        var spare = new System.Collections.Concurrent.ConcurrentQueue<IngestItem[]>();
        using var stop = new CancellationTokenSource();
        ExceptionDispatchInfo? failure = null;
        var producer = Task.Factory.StartNew(() =>
        {
            try
            {
                var batch = new IngestItem[_batchSize];
                var count = 0;
                foreach (var item in _inner.Read())
                {
                    batch[count++] = item;
                    if (count < _batchSize) continue;
                    full.Add(batch, stop.Token);
                    batch = spare.TryDequeue(out var reused) ? reused : new IngestItem[_batchSize];
                    count = 0;
                }

                if (count > 0) full.Add(batch[..count], stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The consumer stopped early; nothing more is wanted.
            }
#pragma warning disable CA1031 // Handed to the consumer and rethrown there with its original stack.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
            finally
            {
                full.CompleteAdding();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        try
        {
            foreach (var batch in full.GetConsumingEnumerable())
            {
                foreach (var item in batch) yield return item;
                if (batch.Length != _batchSize) continue;
                Array.Clear(batch);
                spare.Enqueue(batch);
            }

            producer.GetAwaiter().GetResult();
            failure?.Throw();
        }
        finally
        {
            stop.Cancel();
            producer.Wait(CancellationToken.None);
        }
    }
}
