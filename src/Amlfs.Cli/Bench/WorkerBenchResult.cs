using Amlfs.Kafka.Workers;

namespace Amlfs.Cli.Bench;

/// <summary>
/// What <see cref="WorkerBench"/> measured. <see cref="Seconds"/> runs from the first consumed message to the last
/// of <see cref="Messages"/> (the source messages, then each again from every re-keyed topic that hosts an end of it).
/// </summary>
internal sealed record WorkerBenchResult(
    int SourceMessages,
    long Messages,
    double PublishSeconds,
    double JoinSeconds,
    double Seconds,
    double SourceSeconds,
    long RekeyedBySourceEnd,
    int PartitionsOwned,
    double StopSeconds,
    double CpuSeconds,
    WorkerTotals Totals)
{
    public double MessagesPerSecond => Messages / Seconds;

    /// <summary>Messages of each owned partition per second, on average; every message belongs to one partition.</summary>
    public double PerPartitionPerSecond => MessagesPerSecond / PartitionsOwned;

    /// <summary>The messages of the re-keyed topics.</summary>
    public long RekeyedMessages => Messages - SourceMessages;

    /// <summary>Source messages per second until the last was applied, re-keyed messages applied meanwhile not counted.</summary>
    public double SourcePerSecond => SourceMessages / SourceSeconds;

    /// <summary>Re-keyed messages per second over the part of the run after the last source message.</summary>
    public double RekeyedTailPerSecond =>
        Seconds > SourceSeconds ? (RekeyedMessages - RekeyedBySourceEnd) / (Seconds - SourceSeconds) : double.NaN;
}
