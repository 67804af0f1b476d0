using Amlfs.Registry;

namespace Amlfs.Engine;

/// <summary>Tiles of one hop and filter, shared by every tiled window with that hop and filter.</summary>
internal sealed record TileFamily(long HopMs, FeatureFilter Filter);
