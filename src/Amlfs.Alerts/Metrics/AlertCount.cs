namespace Amlfs.Alerts.Metrics;

/// <summary>One counter's total since the engine started.</summary>
/// <param name="Counter">What it counts.</param>
/// <param name="Rule">The rule.</param>
/// <param name="Channel">The channel, for <see cref="AlertCounter.Delivered"/> and <see cref="AlertCounter.Failed"/>; null for the others.</param>
/// <param name="Value">The total.</param>
public sealed record AlertCount(AlertCounter Counter, string Rule, string? Channel, long Value);
