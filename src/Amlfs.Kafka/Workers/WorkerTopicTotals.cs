namespace Amlfs.Kafka.Workers;

/// <summary>What a <see cref="KafkaWorker"/> has done on one of the topics it consumes.</summary>
public sealed record WorkerTopicTotals
{
    /// <summary>The topic, with its key and the entities its partitions keep.</summary>
    public required TopicRole Role { get; init; }

    /// <summary>Messages read from the topic's partitions.</summary>
    public long Consumed { get; init; }

    /// <summary>
    /// Messages the partitions the worker owns now are behind the newest one the brokers reported (their high
    /// watermarks, measured every second): 0 when it owns none; null while the high watermark of one of them is not
    /// known yet (the brokers report it with the first fetch).
    /// </summary>
    public long? Lag { get; init; }
}
