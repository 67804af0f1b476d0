namespace Amlfs.Server.Observability;

/// <summary>The engine's and the pipeline's counters and gauges at one instant.</summary>
internal readonly record struct EngineSignals(
    long Accepted, long Duplicates, long Late, long Future, long QueueDepth, double LagSeconds, long Entities, long Commits);
