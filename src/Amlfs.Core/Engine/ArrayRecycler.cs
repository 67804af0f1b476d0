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
    private const int MaxPerLength = 4_096;
    private readonly Dictionary<int, Stack<T[]>> _byLength = [];

    public T[] Rent(int length)
    {
        if (length == 0)
            return [];
        return _byLength.TryGetValue(length, out var stack) && stack.Count > 0 ? stack.Pop() : new T[length];
    }

    public void Return(T[] array)
    {
        if (array.Length == 0)
            return;
        if (!_byLength.TryGetValue(array.Length, out var stack))
            _byLength[array.Length] = stack = new Stack<T[]>();
        if (stack.Count < MaxPerLength)
            stack.Push(array);
    }
}
