namespace Amlfs.Learning.Models;

/// <summary>
/// One step of the activation history: <see cref="Version"/> made active (null: the rules) at <see cref="At"/>, or,
/// when <see cref="Rollback"/>, the active version rolled back, leaving <see cref="Version"/> active.
/// </summary>
public sealed record ModelActivationEntry(string? Version, DateTimeOffset At, bool Rollback = false);
