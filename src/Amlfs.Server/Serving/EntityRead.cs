using Amlfs.Engine;

namespace Amlfs.Server.Serving;

/// <summary>What a read found besides the values.</summary>
/// <param name="Known">Whether the entity has any stored state; an unknown one reads as an entity without events.</param>
/// <param name="LogSequence">The entity's log sequence the values were computed up to (0 for none).</param>
/// <param name="Neighbours">
/// The other accounts its graph searches read, each with its log sequence, when the source records them for the feature
/// log; null otherwise.
/// </param>
internal readonly record struct EntityRead(bool Known, long LogSequence, IReadOnlyList<NeighbourRead>? Neighbours = null);
