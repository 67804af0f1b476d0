using Amlfs.Engine;
using Amlfs.OnlineStore;
using Amlfs.Registry;
using Amlfs.Transactions;

namespace Amlfs.Kafka.Workers;

/// <summary>
/// One topic a worker consumes: its messages are keyed by <paramref name="Key"/>, and the engine of each of its
/// partitions keeps <paramref name="Entities"/>, the entity types joined on that key, and the <see cref="Inflows"/> of
/// accounts when the key is the destination's. Each end of an edge is hosted where its key's stream is.
/// </summary>
/// <param name="Topic">The topic name.</param>
/// <param name="Key">The transaction field the messages are keyed (and so partitioned) by.</param>
/// <param name="Entities">
/// The entity types whose state at their join key the partitions of this topic hold; of an account type with inflows,
/// what it sends (its outflows).
/// </param>
/// <param name="IsSource">True for the topic producers write; its workers re-key every accepted transaction onto the other topics.</param>
public sealed record TopicRole(string Topic, TransactionField Key, IReadOnlyList<EntityPlan> Entities, bool IsSource)
{
    /// <summary>
    /// The account types with inflows whose received transfers the partitions of this topic hold: on the topic keyed by
    /// <c>merchant_id</c>, where a transfer re-keyed by its destination lands on the partition of the receiving account's
    /// key; empty on the others.
    /// </summary>
    public IReadOnlyList<EntityPlan> Inflows { get; init; } = [];

    /// <summary>
    /// The engine options of one of this topic's partitions, from the worker's <paramref name="options"/>: the entity
    /// types it keeps and, of account types with inflows, the end (outflows at their join key, or the inflows here).
    /// </summary>
    public EngineOptions PartitionOptions(EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options with
        {
            Entities = Entities.Concat(Inflows).Select(e => e.Name).ToHashSet(StringComparer.Ordinal),
            KeptDirection = Inflows.Count > 0 ? EdgeDirection.Inflow : EdgeDirection.Outflow,
        };
    }

    /// <summary>
    /// Whether the workers of the source topic re-key an accepted transaction onto this topic: it is not the source,
    /// and it hosts an end of the transaction (<see cref="Hosts"/>).
    /// </summary>
    public bool Rekeys(Transaction transaction) => !IsSource && Hosts(transaction);

    /// <summary>Whether a transaction re-keyed onto this topic reaches an entity its partitions keep.</summary>
    public bool Hosts(Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (FeatureEngine.FieldOf(transaction, Key) is null)
            return false;
        if (Entities.Count > 0)
            return true;
        foreach (var account in Inflows)
        {
            if (EdgeEnds.ReachesAsInflow(account.Definition, transaction.DestinationType))
                return true;
        }

        return false;
    }

    /// <summary>
    /// Adds the ends of entities that an accepted transaction changed in a partition of this topic to
    /// <paramref name="changed"/>, as (entity type index, id): those the partition's engine routes it to
    /// (<see cref="PartitionOptions"/>), by the rule of <see cref="EdgeEnds"/>.
    /// </summary>
    internal void AddChanged(Transaction transaction, HashSet<(int Entity, string Id)> changed)
    {
        foreach (var entity in Entities)
        {
            if (FeatureEngine.FieldOf(transaction, entity.JoinKey) is { } id)
                changed.Add((entity.Index, id));
        }

        foreach (var account in Inflows)
        {
            if (EdgeEnds.ReachesAsInflow(account.Definition, transaction.DestinationType))
                changed.Add((account.Index, EdgeEnds.InflowEntityId(transaction)));
        }
    }

    /// <summary>
    /// The online store key of <paramref name="entity"/>'s state that this topic's partitions write: the key of an
    /// account's inflows for an account type whose inflows this topic holds, the entity's own key otherwise.
    /// </summary>
    public OnlineStoreKey StateKey(EntityStateFormat format, EntityPlan entity, string id)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return Inflows.Contains(entity) ? OnlineStoreKey.ForInflows(format, entity.Name, id) : OnlineStoreKey.For(format, entity.Name, id);
    }

    /// <summary>The entity types kept, an account type with inflows named with its end: <c>customer outflows</c>, <c>merchant, customer inflows</c>.</summary>
    public string Describe() => Entities.Count + Inflows.Count == 0
        ? "re-keying only"
        : string.Join(", ", Entities.Select(e => e.Definition.Inflows ? e.Name + " outflows" : e.Name).Concat(Inflows.Select(e => e.Name + " inflows")));
}
