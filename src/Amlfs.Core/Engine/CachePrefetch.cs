using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Amlfs.Engine;

/// <summary>
/// Cache prefetch hints. Ingest is bound by memory latency (an entity's table slot, its state, its event array, the
/// id table), so the shard loop and batch ingest ask for the lines of events a few positions ahead; so does the offline
/// history reader for its table of entity ids. A hint never faults and never changes results; where the CPU has no
/// prefetch instruction it does nothing. A moving GC may make a hint useless, never harmful: the address is only read
/// by the hardware as a hint.
/// </summary>
public static class CachePrefetch
{
    /// <summary>Asks for the cache line of <paramref name="location"/> to be loaded into every cache level.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Read<T>(ref T location)
    {
        if (Sse.IsSupported)
            Sse.Prefetch0(Unsafe.AsPointer(ref location));
    }
}
