namespace Amlfs.Engine;

/// <summary>
/// The entities whose ids hash to one shard, one table per entity type. Exactly one thread applies events to a shard;
/// reads come from any thread. Old events and tiles leave an entity when it is next written; entities idle past every
/// window and the query history are swept a few table slots per applied event.
/// </summary>
internal sealed class FeatureShard
{
    private const int SweepSlotsPerEvent = 2;
    private readonly FeaturePlan _plan;
    private readonly EngineOptions _options;
    private readonly EntityTable[] _tables;
    private long _watermark = long.MinValue;
    private readonly Func<EntityState, bool>[] _expire;

    public FeatureShard(FeaturePlan plan, EngineOptions options)
    {
        _plan = plan;
        _options = options;
        _tables = plan.Entities.Select(_ => new EntityTable()).ToArray();
        _expire = plan.Entities.Select(e => (Func<EntityState, bool>)(state => Expire(e, state))).ToArray();
    }

    /// <summary>The largest event time applied to this shard; reads may go back <c>QueryHistoryMs</c> from it.</summary>
    public long Watermark => Volatile.Read(ref _watermark);

    public long Applied { get; private set; }

    public int EntityCount(int entity) => _tables[entity].Count;

    public EntityState? Find(int entity, string id, ulong hash) => _tables[entity].Find(id, hash);

    public IEnumerable<EntityState> Entities(int entity) => _tables[entity].All();

    public void Apply(in ShardMessage message)
    {
        var plan = _plan.Entities[message.Entity];
        var state = _tables[message.Entity].GetOrAdd(
            message.EntityId, message.EntityHash, plan.DistinctFields.Length, plan.Tiles.Length);
        var e = message.Event;
        var t = e.TimeMs;
        if (t > _watermark)
            Volatile.Write(ref _watermark, t);
        var history = _watermark - _options.QueryHistoryMs;

        state.BeginWrite();
        state.TrimEvents(history - plan.LongestRawSpanMs);
        state.Insert(e, message.Fingerprints);
        var families = plan.Tiles;
        for (var f = 0; f < families.Length; f++)
        {
            var family = families[f];
            if (!family.Filter.Matches(e.LocalHour, e.LocalDay, e.AmountCents))
                continue;
            var log = state.Tile(f);
            log.Trim(history - plan.LongestTiledWindowMs);
            log.Add(RangeSlot.FloorTo(t, family.HopMs), t, e.AmountCents);
        }

        state.EndWrite();
        Applied++;
        _tables[message.Entity].SweepStep(SweepSlotsPerEvent, _expire[message.Entity]);
    }

    /// <summary>
    /// Whether an entity holds nothing any allowed read can see (then it is removed); otherwise drops its events and
    /// tiles that no allowed read can see, so that quiet entities give memory back too.
    /// </summary>
    private bool Expire(EntityPlan plan, EntityState state)
    {
        var history = _watermark - _options.QueryHistoryMs;
        var eventsFrom = history - plan.LongestRawSpanMs;
        var tilesFrom = history - plan.LongestTiledWindowMs;
        if (state.NewestMs < Math.Min(eventsFrom, tilesFrom) - _options.AllowedLatenessMs)
            return true;
        state.BeginWrite();
        state.TrimEvents(eventsFrom);
        foreach (var log in state.Tiles)
            log?.Trim(tilesFrom);
        state.EndWrite();
        return false;
    }
}
