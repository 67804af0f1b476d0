namespace Amlfs.Parquet.Roll;

/// <summary>What one <see cref="LogRoller.RollAsync"/> call wrote.</summary>
/// <param name="Records">Log records rolled into the offline store.</param>
/// <param name="Files">Parquet files written (one per batch and UTC day).</param>
/// <param name="RolledSequence">The log sequence up to which the offline store holds the records afterwards.</param>
public sealed record LogRollResult(long Records, int Files, long RolledSequence);
