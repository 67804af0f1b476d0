namespace Amlfs.Kafka;

/// <summary>Where and how <see cref="TransactionPublisher"/> publishes transactions.</summary>
public sealed record KafkaPublisherOptions
{
    /// <summary>The topic when none is configured.</summary>
    public const string DefaultTopic = "transactions";

    /// <summary>Comma-separated <c>host:port</c> list of brokers to bootstrap from.</summary>
    public required string BootstrapServers { get; init; }

    /// <summary>The topic to publish to.</summary>
    public string Topic { get; init; } = DefaultTopic;

    /// <summary>
    /// How long a message may wait for delivery, retries included, before it is reported failed
    /// (<c>message.timeout.ms</c>). It bounds how long an unreachable Kafka takes to fail a run.
    /// </summary>
    public TimeSpan MessageTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Messages buffered in the client at most (<c>queue.buffering.max.messages</c>); a publisher that gets ahead of
    /// the brokers waits for deliveries instead of growing memory.
    /// </summary>
    public int MaxBufferedMessages { get; init; } = 100_000;

    /// <summary>
    /// How long the client may hold a message to batch it with the next ones (<c>linger.ms</c>): more throughput for
    /// that much latency. Zero sends at once.
    /// </summary>
    public TimeSpan Linger { get; init; } = TimeSpan.FromMilliseconds(5);
}
