namespace Amlfs.Learning.Models;

/// <summary>One activation: the version made active (null: the rules) and when.</summary>
public sealed record ModelActivationEntry(string? Version, DateTimeOffset At);
