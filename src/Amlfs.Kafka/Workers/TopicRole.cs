using Amlfs.Engine;
using Amlfs.Registry;

namespace Amlfs.Kafka.Workers;

/// <summary>
/// One topic a worker consumes: its messages are keyed by <paramref name="Key"/>, and the engine of each of its
/// partitions keeps exactly <paramref name="Entities"/>, the entity types joined on that key.
/// </summary>
/// <param name="Topic">The topic name.</param>
/// <param name="Key">The transaction field the messages are keyed (and so partitioned) by.</param>
/// <param name="Entities">The entity types whose state the partitions of this topic hold.</param>
/// <param name="IsSource">True for the topic producers write; its workers re-key every accepted transaction onto the other topics.</param>
public sealed record TopicRole(string Topic, TransactionField Key, IReadOnlyList<EntityPlan> Entities, bool IsSource);
