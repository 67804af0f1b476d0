namespace Amlfs.Server.Dashboard;

/// <summary>
/// One second of the process, as the overview charts it: what ingest did and what the decision stream decided in that
/// second, the <c>/predict</c> latency of the requests that ended in it, and the engine's gauges at its end. Counts
/// are per second; a field is null when the process has no such signal (a replica has no engine and decides nothing)
/// or, for the latency, when no request ended in the second.
/// </summary>
internal sealed record OverviewSample
{
    /// <summary>The end of the second, UTC milliseconds.</summary>
    public required long T { get; init; }

    public long? Accepted { get; init; }

    public long? Duplicates { get; init; }

    public long? RejectedLate { get; init; }

    public long? RejectedFuture { get; init; }

    public long? RejectedInvalid { get; init; }

    public long? DecisionsLow { get; init; }

    public long? DecisionsMedium { get; init; }

    /// <summary>HIGH decisions: the alerts of the second.</summary>
    public long? DecisionsHigh { get; init; }

    /// <summary><c>/predict</c> requests that ended in the second.</summary>
    public long PredictRequests { get; init; }

    public double? PredictP50Ms { get; init; }

    public double? PredictP99Ms { get; init; }

    /// <summary>Wall clock minus the engine's watermark (the newest accepted event time), seconds.</summary>
    public double? LagSeconds { get; init; }

    /// <summary>Transactions waiting for the ingest writer and the shards.</summary>
    public long? QueueDepth { get; init; }

    /// <summary>The oldest a transaction decided in the second was when it was decided (decision time minus event time), seconds.</summary>
    public double? FreshnessSeconds { get; init; }
}
