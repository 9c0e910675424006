namespace ContributionIndex.Tests;

/// <summary>
/// Tests that measure the live managed heap (GC.GetTotalMemory after full collections) run alone, after the parallel
/// tests, so that no other test's objects are counted.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
    public const string Name = "live-heap measurements";
}
