namespace Amlfs.Engine;

/// <summary>
/// The entities whose ids hash to one shard, one table per entity type. Exactly one thread applies events to a shard;
/// reads come from any thread. Old events and tiles leave an entity when it is next written; entities idle past every
/// window and the query history are swept a few table slots per applied event.
/// </summary>
internal sealed class FeatureShard : INeighbourStates
{
    private const int SweepSlotsPerEvent = 2;
    private readonly FeaturePlan _plan;
    private readonly EngineOptions _options;
    private readonly EntityTable[] _tables;
    private long _watermark = long.MinValue;
    private readonly long[] _idleSpan;

    public FeatureShard(FeaturePlan plan, EngineOptions options)
    {
        _plan = plan;
        _options = options;
        _tables = plan.Entities.Select(_ => new EntityTable()).ToArray();
        // An entity whose newest event is older than this before the history start holds nothing a read can see.
        _idleSpan = plan.Entities.Select(e => e.LongestLookbackMs + options.AllowedLatenessMs).ToArray();
    }

    public int EntityCount(int entity) => _tables[entity].Count;

    /// <summary>Quiescent shard only: the shard watermark, then every entity table in plan order.</summary>
    public void WriteTo(SnapshotWriter writer)
    {
        writer.WriteInt64(_watermark);
        foreach (var table in _tables)
            table.WriteTo(writer);
    }

    /// <summary>
    /// Reads what <see cref="WriteTo"/> wrote without touching this shard: the watermark and the tables that
    /// <see cref="Restore"/> installs once the whole snapshot has been read.
    /// </summary>
    public EntityTable[] ReadTables(SnapshotReader reader, out long watermark)
    {
        watermark = reader.ReadInt64();
        return _plan.Entities.Select(e => EntityTable.ReadFrom(reader, e)).ToArray();
    }

    /// <summary>
    /// Installs restored state into a shard that has applied nothing, before any event is routed to it (the queue
    /// that later carries events to the shard thread publishes these writes to it). Readers see either the empty
    /// table or the restored one.
    /// </summary>
    public void Restore(long watermark, EntityTable[] tables)
    {
        _watermark = watermark;
        for (var i = 0; i < tables.Length; i++)
            Volatile.Write(ref _tables[i], tables[i]);
    }

    public EntityState? Find(int entity, string id, ulong hash) => _tables[entity].Find(id, hash);

    /// <inheritdoc/>
    public EntityState? Find(int entity, ulong hash) => _tables[entity].FindByHash(hash);

    public IEnumerable<EntityState> Entities(int entity) => _tables[entity].All();

    /// <summary>
    /// Hints for a message that will be applied <paramref name="stage"/> positions later: 3 fetches its table slot,
    /// 2 its state (the slot is cached by then), 1 the end of its event arrays (the state is cached by then).
    /// </summary>
    public void Prefetch(in ShardMessage message, int stage) => Prefetch(message.Entity, message.EntityHash, stage);

    /// <summary>As <see cref="Prefetch(in ShardMessage, int)"/>, for an entity that will be read or written.</summary>
    public void Prefetch(int entity, ulong hash, int stage)
    {
        var table = _tables[entity];
        switch (stage)
        {
            case >= 3:
                table.PrefetchSlot(hash);
                break;
            case 2:
                table.PrefetchState(hash);
                break;
            default:
                table.PrefetchTail(hash);
                break;
        }
    }

    public void Apply(in ShardMessage message)
    {
        var plan = _plan.Entities[message.Entity];
        var e = message.Event;
        var t = e.TimeMs;
        var state = _tables[message.Entity].GetOrAdd(
            message.EntityId, message.EntityHash, t, plan.DistinctFields.Length, plan.Tiles.Length, plan.SeenFamilies.Length);
        if (t > _watermark)
            _watermark = t;
        var history = _watermark - _options.QueryHistoryMs;

        state.BeginWrite();
        state.TrimEvents(history - plan.LongestRawSpanMs, plan.SeenFamilies, history - plan.LongestSeenWindowMs);
        state.Insert(e, message.Fingerprints);
        if (message.Sequence > state.LogSequence)
            state.LogSequence = message.Sequence; // history from before the log carries 0
        var families = plan.Tiles;
        for (var f = 0; f < families.Length; f++)
        {
            var family = families[f];
            if (!family.Filter.Matches(e.LocalHour, e.LocalDay, e.AmountCents, e.IsInflow))
                continue;
            var log = state.Tile(f);
            log.Trim(history - plan.LongestTiledWindowMs);
            log.Add(RangeSlot.FloorTo(t, family.HopMs), t, e.AmountCents);
        }

        state.EndWrite();
        _tables[message.Entity].SweepStep(SweepSlotsPerEvent, history - _idleSpan[message.Entity]);
    }
}
