namespace Amlfs.Registry;

/// <summary>An entity: the thing features describe, identified by one transaction field (its join key).</summary>
public sealed record EntityDefinition(string Name, TransactionField JoinKey, string Description);
