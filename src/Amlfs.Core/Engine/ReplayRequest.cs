namespace Amlfs.Engine;

/// <summary>One row of a point-in-time replay: the features of an entity as of an instant.</summary>
/// <param name="Entity">Entity type, such as customer.</param>
/// <param name="EntityId">The entity's id.</param>
/// <param name="AsOfMs">The as-of time q in UTC milliseconds; the row sees exactly the events before q.</param>
public sealed record ReplayRequest(string Entity, string EntityId, long AsOfMs);
