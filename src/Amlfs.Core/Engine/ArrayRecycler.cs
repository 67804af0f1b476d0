using System.Runtime.CompilerServices;

namespace Amlfs.Engine;

/// <summary>
/// Arrays that one shard's entities outgrew or left behind when swept, handed out again to entities that grow, so
/// that a shard in steady state (entities coming and going, bursts growing one entity while another shrinks away)
/// allocates nothing. Owned by the shard's writer thread; not thread-safe. A reader that still holds an array given
/// back here is safe: giving it back happens inside the owner's write, so the reader's version check fails and it
/// retries.
/// </summary>
internal sealed class ArrayRecycler<T>
{
    /// <summary>Longer arrays (a busy merchant's) are left to the GC: they are few and rarely reallocated.</summary>
    private const int MaxLength = 1_024;

    /// <summary>What the recycler may hold at most, so that parked arrays never cost much memory.</summary>
    private const long MaxBytes = 4 << 20;

    private static readonly int ElementSize = Unsafe.SizeOf<T>();
    private long _bytes;
    private readonly Dictionary<int, Stack<T[]>> _byLength = [];

    public T[] Rent(int length)
    {
        if (length == 0)
            return [];
        if (!_byLength.TryGetValue(length, out var stack) || stack.Count == 0)
            return new T[length];
        _bytes -= (long)length * ElementSize;
        return stack.Pop();
    }

    public void Return(T[] array)
    {
        var bytes = (long)array.Length * ElementSize;
        if (array.Length is 0 or > MaxLength || _bytes + bytes > MaxBytes)
            return;
        if (!_byLength.TryGetValue(array.Length, out var stack))
            _byLength[array.Length] = stack = new Stack<T[]>();
        stack.Push(array);
        _bytes += bytes;
    }
}
