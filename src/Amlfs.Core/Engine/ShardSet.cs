using System.Globalization;
using System.Runtime.CompilerServices;

namespace Amlfs.Engine;

/// <summary>
/// The engine's shards and, when threaded, the thread and queue of each: the single writer routes each message to
/// the shard its entity hashes to; each shard thread drains its queue and applies the messages, without locks; reads
/// find entities from any thread. Inline (not threaded), a routed message is applied on the writer's thread at once.
/// </summary>
internal sealed class ShardSet : INeighbourStates, IDisposable
{
    private const int PrefetchDistance = 4;
    private readonly FeatureShard[] _shards;
    private readonly SpscQueue<ShardMessage>[] _queues;
    private readonly Thread[] _threads;
    private readonly Func<bool> _stopping;
    private volatile bool _stop;

    public ShardSet(FeaturePlan plan, EngineOptions options)
    {
        _shards = Enumerable.Range(0, options.ShardCount).Select(_ => new FeatureShard(plan, options)).ToArray();
        _stopping = () => _stop;
        if (!options.Threaded)
        {
            _queues = [];
            _threads = [];
            return;
        }

        _queues = _shards.Select(_ => new SpscQueue<ShardMessage>(options.QueueCapacity)).ToArray();
        _threads = _shards.Select((_, i) => new Thread(() => Run(i))
        {
            IsBackground = true,
            Name = string.Create(CultureInfo.InvariantCulture, $"amlfs-shard-{i}"),
        }).ToArray();
        foreach (var thread in _threads)
            thread.Start();
    }

    /// <summary>The shards themselves, for snapshots of a quiescent engine.</summary>
    public FeatureShard[] Shards => _shards;

    /// <summary>Events queued for shards and not applied yet.</summary>
    public long QueueDepth => _queues.Sum(q => q.Enqueued - q.Dequeued);

    /// <summary>The shard that owns the entity whose id hashes to <paramref name="hash"/>.</summary>
    public FeatureShard ShardOf(ulong hash) => _shards[IndexOf(hash)];

    /// <inheritdoc/>
    public EntityState? Find(int entity, ulong hash) => ShardOf(hash).Find(entity, hash);

    /// <summary>Queues a message for its shard (or applies it, inline). Writer thread only; waits while the queue is full.</summary>
    public void Route(in ShardMessage message)
    {
        var shard = IndexOf(message.EntityHash);
        if (_queues.Length == 0)
            _shards[shard].Apply(message);
        else
            _queues[shard].Write(message, _stopping);
    }

    /// <summary>Makes the messages routed so far visible to the shard threads. Writer thread only.</summary>
    public void Publish()
    {
        foreach (var queue in _queues)
            queue.Publish();
    }

    /// <summary>Waits until every message published so far is applied and visible to reads.</summary>
    public void Flush()
    {
        var spinner = default(SpinWait);
        foreach (var queue in _queues)
        {
            var target = queue.Enqueued;
            while (queue.Dequeued < target)
            {
                queue.Wake();
                spinner.SpinOnce();
            }
        }
    }

    public int EntityCount(int entity) => _shards.Sum(s => s.EntityCount(entity));

    public IEnumerable<EntityState> Entities(int entity) => _shards.SelectMany(s => s.Entities(entity));

    public void Dispose()
    {
        _stop = true;
        foreach (var queue in _queues)
            queue.Wake();
        foreach (var thread in _threads)
            thread.Join();
        foreach (var queue in _queues)
            queue.Dispose();
    }

    private int IndexOf(ulong hash) => (int)((hash >> 32) % (uint)_shards.Length);

    private void Run(int index)
    {
        var queue = _queues[index];
        var shard = _shards[index];
        while (true)
        {
            if (Drain(queue, shard) > 0)
                continue;
            if (_stop)
                return;
            var spinner = default(SpinWait);
            for (var i = 0; i < 20 && queue.IsEmpty; i++)
                spinner.SpinOnce(sleep1Threshold: -1);
            if (queue.IsEmpty)
                queue.WaitForItems(TimeSpan.FromMilliseconds(50));
        }
    }

    /// <summary>Applies what the queue holds; a method of its own so the JIT optimizes it fully (not as a loop patch).</summary>
    private static int Drain(SpscQueue<ShardMessage> queue, FeatureShard shard)
    {
        var drained = 0;
        while (true)
        {
            ref var message = ref queue.Peek(0);
            if (Unsafe.IsNullRef(ref message))
                return drained;
            // Memory latency dominates: fetch the slots, states and arrays of the messages a few places ahead.
            ref var ahead = ref queue.Peek(PrefetchDistance * 3);
            if (!Unsafe.IsNullRef(ref ahead))
                shard.Prefetch(ahead, 3);
            ahead = ref queue.Peek(PrefetchDistance * 2);
            if (!Unsafe.IsNullRef(ref ahead))
                shard.Prefetch(ahead, 2);
            ahead = ref queue.Peek(PrefetchDistance);
            if (!Unsafe.IsNullRef(ref ahead))
                shard.Prefetch(ahead, 1);
            shard.Apply(message);
            queue.Advance();
            drained++;
        }
    }
}
