using Amlfs.Kafka.Workers;

namespace Amlfs.Kafka.Decisions;

/// <summary>Where and how much a <see cref="DecisionTopicReader"/> reads.</summary>
public sealed record DecisionTopicReaderOptions
{
    /// <summary>Comma-separated <c>host:port</c> list of brokers to bootstrap from.</summary>
    public required string BootstrapServers { get; init; }

    /// <summary>The decisions topic (<see cref="WorkerTopics.DecisionsOf"/> of the source topic by default).</summary>
    public string Topic { get; init; } = WorkerTopics.DecisionsOf(KafkaPublisherOptions.DefaultTopic);

    /// <summary>The newest decisions read at start, shared out over the partitions (the dashboard keeps 20,000).</summary>
    public int Backlog { get; init; } = 20_000;

    /// <summary>Decisions handed over in one batch, at most.</summary>
    public int MaxBatch { get; init; } = 1000;
}
