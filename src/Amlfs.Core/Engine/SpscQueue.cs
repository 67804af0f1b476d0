using System.Runtime.CompilerServices;

namespace Amlfs.Engine;

/// <summary>
/// Bounded single-producer single-consumer ring of structs, lock-free. Each side caches its view of the other's index
/// and refreshes it only when the ring looks full (producer) or empty (consumer), so the two cores rarely share a
/// cache line. The consumer may sleep; the producer wakes it.
/// </summary>
internal sealed class SpscQueue<T>(int capacity) : IDisposable
    where T : struct
{
    private readonly T[] _items = new T[(int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity)];
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    private QueueIndices _indices;

    public long Enqueued => Volatile.Read(ref _indices.Tail);

    public long Dequeued => Volatile.Read(ref _indices.Head);

    /// <summary>
    /// Producer: adds an item, visible to the consumer at the next <see cref="Publish"/>; waits while the ring is
    /// full (publishing first, so the consumer can make room). Returns false only when stopping.
    /// </summary>
    public bool Write(in T item, Func<bool> stopping)
    {
        var write = _indices.WriteIndex;
        if (write - _indices.HeadCache >= _items.Length)
        {
            Publish();
            var spinner = default(SpinWait);
            while (write - (_indices.HeadCache = Volatile.Read(ref _indices.Head)) >= _items.Length)
            {
                if (stopping())
                    return false;
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }

        _items[write & (_items.Length - 1)] = item;
        _indices.WriteIndex = write + 1;
        return true;
    }

    /// <summary>Producer: makes every written item visible and wakes the consumer if it sleeps.</summary>
    public void Publish()
    {
        if (_indices.WriteIndex == _indices.Tail)
            return;
        Volatile.Write(ref _indices.Tail, _indices.WriteIndex);
        Interlocked.MemoryBarrier(); // order the tail store before the sleeping load (Dekker with the consumer)
        if (Volatile.Read(ref _indices.Sleeping) != 0)
            _wake.Set();
    }

    /// <summary>
    /// Consumer: a reference to the item <paramref name="ahead"/> places after the next one (0: the next one), or a
    /// null reference when it is not published yet. Valid until <see cref="Advance"/> passes it.
    /// </summary>
    public ref T Peek(int ahead)
    {
        var index = _indices.Head + ahead;
        if (index >= _indices.TailCache && index >= (_indices.TailCache = Volatile.Read(ref _indices.Tail)))
            return ref Unsafe.NullRef<T>();
        return ref _items[index & (_items.Length - 1)];
    }

    /// <summary>Consumer: whether an item is waiting.</summary>
    public bool IsEmpty => Unsafe.IsNullRef(ref Peek(0));

    /// <summary>Consumer: releases the next item (the one <see cref="Peek"/> returned at 0).</summary>
    public void Advance()
    {
        var head = _indices.Head;
        _items[head & (_items.Length - 1)] = default; // drop string references early
        Volatile.Write(ref _indices.Head, head + 1);
    }

    /// <summary>Consumer: sleeps until an item may be there or <paramref name="timeout"/> passes.</summary>
    public void WaitForItems(TimeSpan timeout)
    {
        Volatile.Write(ref _indices.Sleeping, 1);
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _indices.Tail) == _indices.Head)
            _wake.Wait(timeout);
        Volatile.Write(ref _indices.Sleeping, 0);
        _wake.Reset();
    }

    public void Wake() => _wake.Set();

    public void Dispose() => _wake.Dispose();
}
