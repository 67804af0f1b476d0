using System.Globalization;
using Amlfs.Kafka;

namespace Amlfs.Cli.Produce;

/// <summary>What <c>amlfs produce</c> sends, and how fast.</summary>
internal sealed record ProduceOptions
{
    /// <summary>The server's limit on one <c>POST /transactions</c>.</summary>
    public const int MaxBatch = 1_000;

    public required Uri Url { get; init; }

    /// <summary>The API key sent with every request; null sends none (a server run with <c>--auth off</c>).</summary>
    public string? ApiKey { get; init; }

    /// <summary>Transactions per second, spread evenly.</summary>
    public double Rate { get; init; } = 5.0;

    /// <summary>Stop after this long; null runs until Ctrl-C or <see cref="Count"/>.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Stop after this many transactions; null runs until Ctrl-C or <see cref="Duration"/>.</summary>
    public long? Count { get; init; }

    /// <summary>At most this many transactions per POST; what accumulated since the last POST goes in the next.</summary>
    public int Batch { get; init; } = MaxBatch;

    public long Seed { get; init; } = 42;

    /// <summary>When set, send a burst of this customer's transactions and score one more instead of a paced stream.</summary>
    public string? BurstCustomer { get; init; }

    public int BurstSize { get; init; } = 30;

    /// <summary>When set, publish to Kafka at these bootstrap servers instead of posting to <see cref="Url"/>.</summary>
    public string? KafkaBootstrapServers { get; init; }

    /// <summary>The Kafka topic, with <see cref="KafkaBootstrapServers"/>.</summary>
    public string Topic { get; init; } = KafkaPublisherOptions.DefaultTopic;

    /// <summary>How long a Kafka message may wait for its acknowledgement before it counts as failed.</summary>
    public TimeSpan KafkaTimeout { get; init; } = new KafkaPublisherOptions { BootstrapServers = "" }.MessageTimeout;

    /// <summary>Every problem with these options, each naming the command-line option.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!double.IsFinite(Rate) || Rate <= 0)
            problems.Add(Describe("--rate must be a positive number of transactions per second", Rate));
        if (Duration is { } duration && duration <= TimeSpan.Zero)
            problems.Add(Describe("--duration must be a positive number of seconds", duration.TotalSeconds));
        if (Count is < 1)
            problems.Add(Describe("--count must be at least 1", Count));
        if (Batch is < 1 or > MaxBatch)
            problems.Add(Describe("--batch must be between 1 and 1,000", Batch));
        if (BurstSize is < 1 or > MaxBatch)
            problems.Add(Describe("--burst-size must be between 1 and 1,000", BurstSize));
        if (BurstCustomer is not null && string.IsNullOrWhiteSpace(BurstCustomer))
            problems.Add("--burst-customer must be a customer id such as CUST_000001");
        if (BurstCustomer is not null && (Duration is not null || Count is not null))
            problems.Add("--burst-customer sends one burst and scores it; it takes neither --duration nor --count");
        if (KafkaBootstrapServers is not null)
        {
            if (string.IsNullOrWhiteSpace(KafkaBootstrapServers))
                problems.Add("--kafka must be a bootstrap server list such as localhost:9092");
            if (string.IsNullOrWhiteSpace(Topic))
                problems.Add("--topic must name a Kafka topic");
            if (KafkaTimeout < TimeSpan.FromSeconds(1) || KafkaTimeout > TimeSpan.FromHours(1))
                problems.Add(Describe("--kafka-timeout must be between 1 and 3,600 seconds", KafkaTimeout.TotalSeconds));
            if (BurstCustomer is not null)
                problems.Add("--burst-customer scores its burst over HTTP; it cannot be combined with --kafka");
        }

        return problems;
    }

    private static string Describe(string rule, object? value) => string.Create(CultureInfo.InvariantCulture, $"{rule}, got {value}");
}
