using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace ContributionIndex.Pipeline.FastHourLog;

/// <summary>
/// Cache-line prefetch hints for the random lookups of the hour-log fast path (person table, person masks): a hint for
/// a row a few rows ahead lets its cache miss overlap the current row's work. A hint never faults and never changes a
/// result; where the processor has no such instruction it does nothing.
/// </summary>
internal static class CachePrefetch
{
    /// <summary>Asks for the cache line holding <paramref name="location"/> (an element of a managed array).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Line<T>(ref T location)
    {
        // A moved array (the collector may compact between the two instructions) only makes the hint useless.
        if (Sse.IsSupported) Sse.Prefetch0(Unsafe.AsPointer(ref location));
    }
}
