namespace Amlfs.Server.Serving;

/// <summary>What a read found besides the values.</summary>
/// <param name="Known">Whether the entity has any stored state; an unknown one reads as an entity without events.</param>
/// <param name="LogSequence">The entity's log sequence the values were computed up to (0 for none).</param>
internal readonly record struct EntityRead(bool Known, long LogSequence);
