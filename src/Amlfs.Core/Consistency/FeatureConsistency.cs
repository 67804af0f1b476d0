namespace Amlfs.Consistency;

/// <summary>The consistency of one feature over the logged vectors (Chronon's measure).</summary>
/// <param name="Entity">Entity type.</param>
/// <param name="Feature">Feature name.</param>
/// <param name="Compared">Values both served and recomputed.</param>
/// <param name="Mismatches">Compared values that differ (doubles compared bit for bit).</param>
/// <param name="Missing">Served values that could not be recomputed: the vector's history is not all in the offline
/// store, or the active definitions no longer have the feature.</param>
/// <param name="Extra">Recomputed values that the logged vector lacks (the feature was added after it was served).</param>
public sealed record FeatureConsistency(string Entity, string Feature, long Compared, long Mismatches, long Missing, long Extra);
