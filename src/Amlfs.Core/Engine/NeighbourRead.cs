namespace Amlfs.Engine;

/// <summary>
/// An account a graph search read while evaluating another: the fingerprint of its id and the log sequence of the
/// state it read (0 when the account had no state). With the evaluated entity's own sequence, these say exactly which
/// events a served graph value was computed from, however the shards' progress interleaved (see
/// <see cref="Consistency.ConsistencyCheck"/>).
/// </summary>
/// <param name="Fingerprint">The fingerprint of the account's id (<see cref="NeighbourStates.FingerprintOf"/>).</param>
/// <param name="LogSequence">The account's log sequence in the state read.</param>
public readonly record struct NeighbourRead(ulong Fingerprint, long LogSequence);
