namespace Amlfs.Server.Dashboard;

/// <summary>
/// The overview's history in columns, the form the charts draw: <see cref="T"/> and one array per signal, index by
/// index. Each point covers <see cref="StepSeconds"/> seconds: counts are per-second averages over it, p99, lag and
/// freshness its largest value, p50 its mean.
/// </summary>
internal sealed record OverviewHistory
{
    public required int StepSeconds { get; init; }

    public required long[] T { get; init; }

    public required double?[] Accepted { get; init; }

    public required double?[] Duplicates { get; init; }

    public required double?[] RejectedLate { get; init; }

    public required double?[] RejectedFuture { get; init; }

    public required double?[] RejectedInvalid { get; init; }

    public required double?[] DecisionsLow { get; init; }

    public required double?[] DecisionsMedium { get; init; }

    public required double?[] DecisionsHigh { get; init; }

    public required double?[] PredictRequests { get; init; }

    public required double?[] PredictP50Ms { get; init; }

    public required double?[] PredictP99Ms { get; init; }

    public required double?[] LagSeconds { get; init; }

    public required double?[] QueueDepth { get; init; }

    public required double?[] FreshnessSeconds { get; init; }
}
