using Amlfs.Registry;

namespace Amlfs.Engine;

/// <summary>Settings of a <see cref="FeatureEngine"/>, built once; the time rules default to the definitions' own.</summary>
public sealed record EngineOptions
{
    /// <summary>Shards, each owning the entities whose id hashes to it; threaded engines run one thread per shard.</summary>
    public int ShardCount { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// True: shards run on their own threads and <see cref="FeatureEngine.Ingest"/> returns once the event is queued.
    /// False: the caller's thread applies each event before Ingest returns (replay, tests, tools).
    /// </summary>
    public bool Threaded { get; init; } = true;

    public long AllowedLatenessMs { get; init; } = 5 * 60_000;

    public long MaxClockSkewMs { get; init; } = 60_000;

    public long DedupRetentionMs { get; init; } = 7 * 86_400_000L;

    /// <summary>How far behind the latest event time a read's as-of time may be.</summary>
    public long QueryHistoryMs { get; init; } = 86_400_000L;

    /// <summary>Events each shard queue holds before Ingest waits (back-pressure, never unbounded memory).</summary>
    public int QueueCapacity { get; init; } = 1 << 16;

    /// <summary>Expected transactions within the dedup retention: sizes the id table up front.</summary>
    public int ExpectedTransactions { get; init; } = 1 << 16;

    /// <summary>
    /// The entity types (names) whose state this engine keeps; null keeps every entity type of the plan. A Kafka
    /// worker's engine for a partition of the customer-keyed topic keeps customers only, and one for the merchant-keyed
    /// topic keeps merchants only: each entity's events reach exactly one engine.
    /// </summary>
    public IReadOnlySet<string>? Entities { get; init; }

    /// <summary>Whether this engine keeps the state of entity type <paramref name="name"/>.</summary>
    public bool Keeps(string name) => Entities is null || Entities.Contains(name);

    /// <summary>Options with the time rules of <paramref name="definition"/>.</summary>
    public static EngineOptions From(RegistryDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new EngineOptions
        {
            AllowedLatenessMs = definition.AllowedLatenessMs,
            MaxClockSkewMs = definition.MaxClockSkewMs,
            DedupRetentionMs = definition.DedupRetentionMs,
            QueryHistoryMs = definition.QueryHistoryMs,
        };
    }
}
