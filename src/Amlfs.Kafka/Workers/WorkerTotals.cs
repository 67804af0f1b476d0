using Amlfs.Scoring;

namespace Amlfs.Kafka.Workers;

/// <summary>What a <see cref="KafkaWorker"/> has done since it started.</summary>
public sealed record WorkerTotals
{
    /// <summary>Messages read from the topics.</summary>
    public long Consumed { get; init; }

    public long Accepted { get; init; }

    public long Duplicates { get; init; }

    /// <summary>Messages sent to the dead-letter topic because they were older than the partition's watermark allows.</summary>
    public long Late { get; init; }

    /// <summary>Messages sent to the dead-letter topic because their time was too far ahead of the worker's clock.</summary>
    public long FutureTimestamps { get; init; }

    /// <summary>Messages sent to the dead-letter topic because they were not a valid transaction.</summary>
    public long Malformed { get; init; }

    /// <summary>Messages published to the re-keyed topics.</summary>
    public long Rekeyed { get; init; }

    /// <summary>Entity states written to the online store.</summary>
    public long StatesWritten { get; init; }

    /// <summary>
    /// Entity states the online store refused because it held newer ones: written by this worker while it replayed a
    /// partition behind what a predecessor had written, or after the group had given the partition to another worker.
    /// </summary>
    public long StaleStates { get; init; }

    /// <summary>Batches of entity states the online store did not take because it was unavailable (written again later).</summary>
    public long StoreErrors { get; init; }

    /// <summary>Partition checkpoints saved.</summary>
    public long Checkpoints { get; init; }

    /// <summary>Partition checkpoints that could not be saved (the store unavailable); the previous one stands.</summary>
    public long CheckpointFailures { get; init; }

    /// <summary>Errors the Kafka clients reported (an unreachable broker, a topic that does not exist yet...).</summary>
    public long KafkaErrors { get; init; }

    /// <summary>The time of the newest transaction the worker accepted since it started; null before the first.</summary>
    public DateTimeOffset? NewestEvent { get; init; }

    /// <summary>Per topic consumed, in the order of <see cref="WorkerTopics.Roles"/>.</summary>
    public IReadOnlyList<WorkerTopicTotals> Topics { get; init; } = [];

    /// <summary>Decisions published to the decisions topic, indexed by <see cref="RiskLevel"/>; zeros for a worker that does not decide.</summary>
    public IReadOnlyList<long> DecidedByLevel { get; init; } = [];

    /// <summary>Decisions published, of every level.</summary>
    public long Decided => DecidedByLevel.Sum();

    /// <summary>Times deciding waited because the features could not be read (the online store unavailable).</summary>
    public long DecisionsWaited { get; init; }

    /// <summary>Partitions this worker owns now.</summary>
    public int Partitions { get; init; }
}
