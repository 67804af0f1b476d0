namespace Amlfs.Engine;

/// <summary>
/// Rows of one entity type to evaluate in a <see cref="PartitionedReplay"/>: row i is the entity
/// <c>EntityIds[i]</c> as of <c>AsOfMs[i]</c>, seeing exactly the history before that instant. With
/// <see cref="RequestAmounts"/>, the entity's request features are evaluated too, as <c>/predict</c> evaluates them for a
/// transaction of that amount (currency units); with <see cref="Requests"/> as well, the aggregations compared with the
/// request (<c>first_seen</c>, <c>last_seen_time</c>) compare with the fields of that history transaction (a training
/// row's own transaction), else they read 0.
/// </summary>
/// <param name="Entity">The entity type, from the plan the replay runs.</param>
/// <param name="EntityIds">
/// The entity of each row; null for a row that names none (a transaction without an IP, for an entity joined on
/// <c>ip_address</c>), which reads as unknown: the values of an entity without events.
/// </param>
/// <param name="AsOfMs">The as-of time of each row, UTC milliseconds; any order.</param>
/// <param name="RequestAmounts">The request amount of each row, or null to evaluate stored features only.</param>
/// <param name="Requests">The history position of each row's request transaction, or null.</param>
public sealed record ReplayQuery(EntityPlan Entity, string?[] EntityIds, long[] AsOfMs, double[]? RequestAmounts = null, int[]? Requests = null)
{
    /// <summary>Values per row: the stored features in <c>Entity.Features</c> order, then the request features if any.</summary>
    public int Width => Entity.Features.Count + (RequestAmounts is null ? 0 : Entity.RequestFeatures.Count);
}
