using System.Runtime.InteropServices;

namespace Amlfs.Engine;

/// <summary>The indices of a <see cref="SpscQueue{T}"/>: producer and consumer fields on separate cache lines.</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct QueueIndices
{
    [FieldOffset(64)] public long Tail;
    [FieldOffset(72)] public long HeadCache;
    [FieldOffset(80)] public long WriteIndex;
    [FieldOffset(136)] public long Head;
    [FieldOffset(144)] public long TailCache;
    [FieldOffset(152)] public int Sleeping;
}
