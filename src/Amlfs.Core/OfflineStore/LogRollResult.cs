namespace Amlfs.OfflineStore;

/// <summary>What one <see cref="IOfflineStoreRoll.RollAsync"/> call wrote.</summary>
/// <param name="Records">Log records rolled into the offline store.</param>
/// <param name="Files">Files written (one per batch and UTC day).</param>
/// <param name="RolledSequence">The log sequence up to which the offline store holds the records afterwards.</param>
public sealed record LogRollResult(long Records, int Files, long RolledSequence);
