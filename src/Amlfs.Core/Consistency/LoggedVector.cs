using Amlfs.Engine;
using Amlfs.Transactions;

namespace Amlfs.Consistency;

/// <summary>
/// One feature vector as the server served it, with what is needed to recompute it offline exactly: the entity, the
/// as-of time q, and the entity's log sequence H read with the features (they are computed from exactly the entity's
/// accepted events with time before q and log sequence up to H).
/// </summary>
/// <param name="Entity">Entity type, such as customer.</param>
/// <param name="EntityId">The entity's id.</param>
/// <param name="AsOfMs">The as-of time q, UTC milliseconds.</param>
/// <param name="LogSequence">The entity's log sequence H when it was read (0: no state).</param>
/// <param name="ServedAtMs">When the server answered, UTC milliseconds.</param>
/// <param name="Kind">Which request served it.</param>
/// <param name="RequestAmount">The request's amount, for request features; null for <see cref="FeatureLogKind.Features"/>.</param>
/// <param name="Names">Feature names, shared by the vectors of one entity type and kind.</param>
/// <param name="Values">One value per name; null where the vector did not carry the feature.</param>
/// <param name="Request">
/// For <see cref="FeatureLogKind.Predict"/>, the scored transaction, whose fields the aggregations compared with the
/// request (<c>first_seen</c>, <c>last_seen_time</c>) read; null for a features read, an entity the transaction did not
/// name, and logs written before requests were recorded.
/// </param>
public sealed record LoggedVector(
    string Entity,
    string EntityId,
    long AsOfMs,
    long LogSequence,
    long ServedAtMs,
    FeatureLogKind Kind,
    double? RequestAmount,
    IReadOnlyList<string> Names,
    double?[] Values,
    Transaction? Request = null)
{
    /// <summary>
    /// For an entity type whose graph searches read other accounts, each account they read with the log sequence of the
    /// state read; null when the log does not hold them (other types, and logs written before they were recorded).
    /// </summary>
    public IReadOnlyList<NeighbourRead>? Neighbours { get; init; }
}
