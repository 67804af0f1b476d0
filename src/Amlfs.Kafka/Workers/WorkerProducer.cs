using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amlfs.Decisions;
using Amlfs.Engine;
using Amlfs.Privacy;
using Amlfs.Transactions;
using Confluent.Kafka;

namespace Amlfs.Kafka.Workers;

/// <summary>
/// What a worker writes to Kafka: accepted transactions re-keyed onto the topic of each other join key, rejected
/// messages onto the dead-letter topic, and decisions onto the decisions topic, through one idempotent producer (<c>acks=all</c>). <see cref="Flush"/> makes
/// them durable before a checkpoint moves past their source messages, and fails when one was not delivered.
/// </summary>
internal sealed class WorkerProducer : IDisposable
{
    private readonly IProducer<byte[]?, byte[]> _producer;
    private readonly Action<DeliveryReport<byte[]?, byte[]>> _onDelivery;
    private readonly WorkerTopics _topics;
    private readonly KafkaWorkerOptions _options;
    private readonly Pseudonymizer _pseudonyms;
    private long _deliveryFailures;
    private string? _firstDeliveryError;

    public WorkerProducer(KafkaWorkerOptions options, WorkerTopics topics, ThrottledLog errors)
    {
        _options = options;
        _topics = topics;
        _pseudonyms = options.Pseudonyms ?? new Pseudonymizer(RandomNumberGenerator.GetBytes(Pseudonymizer.KeyBytes));
        _onDelivery = OnDelivery;
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 1,
            MessageTimeoutMs = (int)options.MessageTimeout.TotalMilliseconds,
            Partitioner = TransactionPublisher.KeyPartitioner,
            // A delivery report is read for its error only: the client need not copy each key and value back.
            DeliveryReportFields = "status",
        };
        if (options.ClientId is { } clientId)
            config.ClientId = clientId;
        _producer = new ProducerBuilder<byte[]?, byte[]>(config)
            .SetErrorHandler((_, e) => errors.Write("producer", e.Reason))
            .SetLogHandler((_, _) => { })
            .Build();
    }

    /// <summary>The client's handle, for an admin client that shares its connections.</summary>
    public Handle Handle => _producer.Handle;

    /// <summary>
    /// Publishes <paramref name="value"/> (the source message) onto every re-keyed topic that hosts an end of the
    /// transaction (<see cref="TopicRole.Hosts"/>); returns how many.
    /// </summary>
    public int Rekey(Transaction transaction, byte[] value)
    {
        var published = 0;
        foreach (var role in _topics.Roles)
        {
            if (!role.Rekeys(transaction))
                continue;
            var key = FeatureEngine.FieldOf(transaction, role.Key)!;
            Produce(role.Topic, new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = value });
            published++;
        }

        return published;
    }

    /// <summary>
    /// Copies the message of <paramref name="result"/> to the dead-letter topic with its reason, detail and source; its IP
    /// address and device id go as their pseudonyms (<see cref="DeadLetterValue"/>).
    /// </summary>
    public void DeadLetter(ConsumeResult<byte[]?, byte[]> result, IngestStatus reason, string detail)
    {
        var headers = new Headers
        {
            { KafkaWorker.ReasonHeader, Encoding.UTF8.GetBytes(reason.WireName()) },
            { KafkaWorker.DetailHeader, Encoding.UTF8.GetBytes(detail) },
            { KafkaWorker.SourceHeader, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{result.Topic}/{result.Partition.Value}/{result.Offset.Value}")) },
        };
        Produce(_topics.DeadLetter, new Message<byte[]?, byte[]> { Key = result.Message.Key, Value = DeadLetterValue.Of(result.Message.Value ?? [], _pseudonyms), Headers = headers });
    }

    /// <summary>
    /// Publishes <paramref name="decision"/> to <paramref name="topic"/>, keyed by its customer, with
    /// <see cref="KafkaWorker.SourceHeader"/> set to <paramref name="source"/> (<c>topic/partition/offset</c> of its transaction).
    /// </summary>
    public void Publish(string topic, Decision decision, string source)
    {
        var headers = new Headers { { KafkaWorker.SourceHeader, Encoding.UTF8.GetBytes(source) } };
        Produce(topic, new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes(decision.CustomerId), Value = DecisionMessage.Serialize(decision), Headers = headers });
    }

    /// <summary>Waits until every message so far is acknowledged; throws <see cref="WorkerFailedException"/> when one failed.</summary>
    public void Flush()
    {
        var remaining = _producer.Flush(_options.MessageTimeout + TimeSpan.FromSeconds(5));
        if (remaining > 0 || Interlocked.Read(ref _deliveryFailures) > 0)
        {
            throw new WorkerFailedException(
                $"Kafka at {_options.BootstrapServers} did not take every re-keyed, dead-lettered or decision message ({remaining} without an acknowledgement, {Interlocked.Read(ref _deliveryFailures)} failed; first: {Volatile.Read(ref _firstDeliveryError) ?? "timed out"}); stopping so that a restart replays them from the last checkpoint");
        }
    }

    public void Dispose() => _producer.Dispose();

    private void Produce(string topic, Message<byte[]?, byte[]> message)
    {
        while (true)
        {
            try
            {
                _producer.Produce(topic, message, _onDelivery);
                return;
            }
            catch (ProduceException<byte[]?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                _producer.Poll(TimeSpan.FromMilliseconds(50)); // bounded: the queue drains or its messages time out
            }
        }
    }

    private void OnDelivery(DeliveryReport<byte[]?, byte[]> report)
    {
        if (!report.Error.IsError)
            return;
        Interlocked.Increment(ref _deliveryFailures);
        Interlocked.CompareExchange(ref _firstDeliveryError, $"{report.Topic}: {report.Error.Reason} ({report.Error.Code})", null);
    }
}
