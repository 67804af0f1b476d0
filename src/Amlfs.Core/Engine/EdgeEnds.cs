using Amlfs.Registry;
using Amlfs.Transactions;

namespace Amlfs.Engine;

/// <summary>
/// Where a transaction reaches the entities of a type, as an edge from its source account to its destination: every
/// entity type at its join key (an outflow of a customer, a receipt of a merchant, a use of an IP...), and an account
/// type with inflows also at the destination account of a transfer. The one rule the engine, its offline replays and
/// the distributed workers route by.
/// </summary>
public static class EdgeEnds
{
    /// <summary>Whether the transaction also reaches an entity of <paramref name="entity"/>'s type as an inflow.</summary>
    public static bool ReachesAsInflow(EntityDefinition entity, DestinationType destination)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return entity.Inflows && destination == DestinationType.Account;
    }

    /// <summary>
    /// Whether an engine that keeps <paramref name="kept"/> of the entity types with inflows
    /// (<see cref="EngineOptions.KeptDirection"/>) routes the transaction to an entity of <paramref name="entity"/>'s
    /// type as an inflow.
    /// </summary>
    public static bool ReachesAsInflow(EntityDefinition entity, DestinationType destination, EdgeDirection kept) =>
        kept != EdgeDirection.Outflow && ReachesAsInflow(entity, destination);

    /// <summary>
    /// Whether an engine that keeps <paramref name="kept"/> of the entity types with inflows routes transactions to the
    /// end at <paramref name="entity"/>'s join key: always, but for an account whose engine keeps its inflows only.
    /// </summary>
    public static bool KeepsJoinKeyEnd(EntityDefinition entity, EdgeDirection kept)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return !entity.Inflows || kept != EdgeDirection.Inflow;
    }

    /// <summary>Whether the transaction reaches the entity <paramref name="id"/> of <paramref name="entity"/>'s type, at either end.</summary>
    public static bool Reaches(EntityDefinition entity, Transaction transaction, string id)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(transaction);
        return FeatureEngine.FieldOf(transaction, entity.JoinKey) == id
            || (ReachesAsInflow(entity, transaction.DestinationType) && transaction.MerchantId == id);
    }

    /// <summary>The ids of the entities of <paramref name="entity"/>'s type that the transaction reaches: none, one or two.</summary>
    public static IEnumerable<string> EntityIds(EntityDefinition entity, Transaction transaction) =>
        EntityIds(entity, transaction, EdgeDirection.Both);

    /// <summary>
    /// The ids of the entities of <paramref name="entity"/>'s type that an engine keeping <paramref name="kept"/> of the
    /// entity types with inflows routes the transaction to.
    /// </summary>
    public static IEnumerable<string> EntityIds(EntityDefinition entity, Transaction transaction, EdgeDirection kept)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(transaction);
        if (KeepsJoinKeyEnd(entity, kept) && FeatureEngine.FieldOf(transaction, entity.JoinKey) is { } id)
            yield return id;
        if (ReachesAsInflow(entity, transaction.DestinationType, kept))
            yield return InflowEntityId(transaction);
    }

    /// <summary>The id of the entity an inflow reaches: the destination account.</summary>
    public static string InflowEntityId(Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.MerchantId;
    }

    /// <summary>
    /// The fingerprint of the counterparty, the other end of the edge, seen from an entity joined on
    /// <paramref name="joinKey"/>: for an outflow of an account, the destination (a merchant's fingerprint is mixed,
    /// <see cref="Fingerprint.OfMerchant"/>, so that it never equals an account's); for an inflow, or for a merchant
    /// entity, the source account. 0 for entities at neither end.
    /// </summary>
    /// <param name="joinKey">The join key of the entity seeing the edge.</param>
    /// <param name="inflow">Whether the entity receives the transaction as an inflow.</param>
    /// <param name="destination">What the transaction's destination is.</param>
    /// <param name="customerHash">Fingerprint of the transaction's <c>customer_id</c>.</param>
    /// <param name="merchantHash">Fingerprint of the transaction's <c>merchant_id</c>.</param>
    internal static ulong Counterparty(TransactionField joinKey, bool inflow, DestinationType destination, ulong customerHash, ulong merchantHash) =>
        inflow || joinKey == TransactionField.MerchantId ? customerHash
        : joinKey != TransactionField.CustomerId ? 0
        : destination == DestinationType.Account ? merchantHash
        : Fingerprint.OfMerchant(merchantHash);
}
