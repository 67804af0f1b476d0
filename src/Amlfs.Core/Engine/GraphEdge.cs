namespace Amlfs.Engine;

/// <summary>
/// A transfer as a graph search sees it from one account: when, the fingerprint of the other account (the entity hash
/// of its id), and whether the account received it (<paramref name="Inflow"/>) or sent it.
/// </summary>
internal readonly record struct GraphEdge(long TimeMs, ulong Counterparty, bool Inflow);
