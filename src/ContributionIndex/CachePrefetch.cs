using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace ContributionIndex;

/// <summary>
/// Cache-line prefetch hints for random lookups in large tables (the hour-log fast path's person table and masks, the
/// activity coder's weight rows): a hint for a row needed a little later lets its cache miss overlap the current work.
/// A hint never faults and never changes a result; where the processor has no such instruction it does nothing.
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
