using Amlfs.Privacy;

namespace Amlfs.Kafka.Workers;

/// <summary>Settings of a <see cref="KafkaWorker"/>.</summary>
public sealed record KafkaWorkerOptions
{
    /// <summary>The consumer group when none is configured.</summary>
    public const string DefaultGroup = "amlfs-workers";

    /// <summary>Comma-separated <c>host:port</c> list of brokers to bootstrap from.</summary>
    public required string BootstrapServers { get; init; }

    /// <summary>The source topic producers publish to (keyed by customer).</summary>
    public string Topic { get; init; } = KafkaPublisherOptions.DefaultTopic;

    /// <summary>The dead-letter topic; null gives <c>{topic}.dead-letter</c>.</summary>
    public string? DeadLetterTopic { get; init; }

    /// <summary>The decisions topic, for a worker given a decider; null gives <c>{topic}.decisions</c>.</summary>
    public string? DecisionTopic { get; init; }

    /// <summary>The consumer group the workers share; partitions are balanced over its members.</summary>
    public string GroupId { get; init; } = DefaultGroup;

    /// <summary>A name for this member in logs and broker views; null lets the client choose.</summary>
    public string? ClientId { get; init; }

    /// <summary>
    /// How often each owned partition's state is checkpointed with its offset. A worker that takes a partition over
    /// replays at most this much of it; shorter costs more snapshot writes.
    /// </summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a member may be silent before the group gives its partitions to the others (<c>session.timeout.ms</c>).</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long one turn of the worker's loop (a batch applied, its states written, checkpoints) may keep it from
    /// polling before the group gives its partitions to the others (<c>max.poll.interval.ms</c>); at least
    /// <see cref="SessionTimeout"/>. A worker stuck longer, say in a hung online store call, is replaced while it still
    /// runs: the store's fencing (see <see cref="OnlineStore.StatePosition"/>) refuses what it writes after that.
    /// </summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Messages applied before the changed entity states are written to the online store, at most.</summary>
    public int MaxBatch { get; init; } = 2000;

    /// <summary>How long a broker may hold a fetch waiting for data (<c>fetch.wait.max.ms</c>); it bounds idle latency.</summary>
    public TimeSpan FetchWait { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// The pseudonyms that replace IP addresses and device ids in dead letters; every worker of a group should have the
    /// same key (<c>AMLFS_PSEUDONYM_KEY</c>, or one data directory's key file). Null gives a key of this worker's own,
    /// made at start: still no raw values, but pseudonyms that no other process reproduces.
    /// </summary>
    public Pseudonymizer? Pseudonyms { get; init; }

    /// <summary>How long a re-keyed or dead-lettered message may wait for delivery before the worker fails.</summary>
    public TimeSpan MessageTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Each problem with these settings, naming the setting; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(BootstrapServers))
            errors.Add("kafka: the bootstrap servers must not be empty");
        foreach (var (name, value) in new[] { ("topic", Topic), ("group", GroupId), ("dead-letter topic", DeadLetterTopic ?? "x"), ("decisions topic", DecisionTopic ?? "x") })
        {
            if (string.IsNullOrWhiteSpace(value) || value.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
                errors.Add($"{name}: '{value}' is not a valid Kafka name (letters, digits, '.', '_', '-')");
        }

        if (CheckpointInterval <= TimeSpan.Zero)
            errors.Add("checkpoint interval: must be positive");
        if (SessionTimeout < TimeSpan.FromSeconds(1))
            errors.Add("session timeout: must be at least 1 s");
        if (MaxPollInterval < SessionTimeout || MaxPollInterval > TimeSpan.FromDays(1))
            errors.Add("max poll interval: must be between the session timeout and 1 day");
        if (FetchWait < TimeSpan.FromMilliseconds(1) || FetchWait > TimeSpan.FromSeconds(5))
            errors.Add("fetch wait: must be between 1 ms and 5 s");
        if (MaxBatch < 1)
            errors.Add("max batch: must be at least 1");
        return errors;
    }
}
