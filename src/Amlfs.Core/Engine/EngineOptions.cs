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
    /// topic keeps merchants and, with <see cref="KeptDirection"/>, the inflows of accounts: each end of an edge
    /// reaches exactly one engine.
    /// </summary>
    public IReadOnlySet<string>? Entities { get; init; }

    /// <summary>
    /// Of the entity types with inflows (<see cref="EntityDefinition.Inflows"/>), the events this engine keeps:
    /// <see cref="EdgeDirection.Both"/> (the default) every event of theirs; <see cref="EdgeDirection.Outflow"/> only
    /// what an account sends, the end at its join key; <see cref="EdgeDirection.Inflow"/> only the transfers it receives.
    /// Other entity types are kept whole. A Kafka worker hosts each end where its key's stream is: an engine of the
    /// customer-keyed topic keeps outflows, one of the merchant-keyed topic (where a transfer lands on the partition of
    /// its receiving account) keeps inflows; a replica evaluates the two partial states of an account merged
    /// (<see cref="EntityStateFormat"/>).
    /// </summary>
    public EdgeDirection KeptDirection { get; init; } = EdgeDirection.Both;

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
