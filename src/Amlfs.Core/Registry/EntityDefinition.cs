namespace Amlfs.Registry;

/// <summary>
/// An entity: the thing features describe, identified by one transaction field (its join key). With
/// <paramref name="Inflows"/> (only for an entity joined on <c>customer_id</c>, an account) the entity also receives the
/// transfers whose destination is an account with its id, as inflows (<see cref="EdgeDirection"/>).
/// </summary>
public sealed record EntityDefinition(string Name, TransactionField JoinKey, string Description, bool Inflows = false);
