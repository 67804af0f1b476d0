using Amlfs.Transactions;
using Confluent.Kafka;

namespace Amlfs.Kafka;

/// <summary>
/// Publishes transactions to a Kafka topic in the <see cref="TransactionMessage"/> format, keyed by customer, with an
/// idempotent producer (<c>enable.idempotence</c>, <c>acks=all</c>): retries neither duplicate nor reorder a
/// customer's messages. Nothing is lost silently: every message ends up counted as delivered or failed, and
/// <see cref="Flush"/> waits for the outcome of each one, for at most the message timeout.
/// </summary>
public sealed class TransactionPublisher : IDisposable
{
    /// <summary>
    /// How every amlfs producer maps a key to a partition: murmur2, as Kafka's Java clients do by default, so that a
    /// customer's (or merchant's) messages land in the same partition whichever client published them.
    /// </summary>
    public const Partitioner KeyPartitioner = Partitioner.Murmur2Random;

    private readonly KafkaPublisherOptions _options;
    private readonly IProducer<string, byte[]> _producer;
    private readonly Action<DeliveryReport<string, byte[]>> _onDelivery;
    private long _published;
    private long _delivered;
    private long _failed;
    private string? _firstError;

    /// <summary>Creates the producer; no connection is made until the first message.</summary>
    public TransactionPublisher(KafkaPublisherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            MessageTimeoutMs = (int)options.MessageTimeout.TotalMilliseconds,
            QueueBufferingMaxMessages = options.MaxBufferedMessages,
            LingerMs = options.Linger.TotalMilliseconds,
            Partitioner = KeyPartitioner,
        };
        _producer = new ProducerBuilder<string, byte[]>(config)
            // Connection errors are retried by the client until the message timeout; each message's own delivery
            // report is what counts, so the handler only keeps the log quiet.
            .SetErrorHandler((_, _) => { })
            .SetLogHandler((_, _) => { })
            .Build();
        _onDelivery = OnDelivery;
    }

    /// <summary>The outcome so far; final after <see cref="Flush"/>.</summary>
    public PublishTotals Totals => new()
    {
        Published = Interlocked.Read(ref _published),
        Delivered = Interlocked.Read(ref _delivered),
        Failed = Interlocked.Read(ref _failed),
        FirstError = Volatile.Read(ref _firstError),
    };

    /// <summary>
    /// Hands <paramref name="transaction"/> to the client. When the client's buffer is full this waits for deliveries
    /// to make room, so a caller can never get more than the buffer ahead of the brokers.
    /// </summary>
    public void Publish(Transaction transaction, CancellationToken cancellationToken = default)
    {
        var message = new Message<string, byte[]> { Key = TransactionMessage.Key(transaction), Value = TransactionMessage.Serialize(transaction) };
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                _producer.Produce(_options.Topic, message, _onDelivery);
                Interlocked.Increment(ref _published);
                return;
            }
            catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // The buffer empties as deliveries succeed or time out, so this wait is bounded by the message timeout.
                _producer.Poll(TimeSpan.FromMilliseconds(100));
            }
        }
    }

    /// <summary>
    /// Waits until every published message is delivered or failed, for at most the message timeout plus a margin;
    /// a message still without an outcome then is counted failed. Returns the final totals.
    /// </summary>
    public PublishTotals Flush(CancellationToken cancellationToken = default)
    {
        var limit = _options.MessageTimeout + TimeSpan.FromSeconds(5);
        var remaining = 0;
        try
        {
            remaining = FlushWithin(limit, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            remaining = _producer.Flush(TimeSpan.Zero);
        }

        if (remaining > 0)
        {
            Interlocked.Add(ref _failed, remaining);
            Interlocked.CompareExchange(ref _firstError,
                $"{remaining} messages to Kafka at {_options.BootstrapServers} had no delivery report in time", null);
        }

        return Totals;
    }

    /// <inheritdoc />
    public void Dispose() => _producer.Dispose();

    private int FlushWithin(TimeSpan limit, CancellationToken cancellationToken)
    {
        // Flush in short steps so that Ctrl-C is honoured; the step count bounds the total wait.
        var step = TimeSpan.FromMilliseconds(200);
        for (var waited = TimeSpan.Zero; waited < limit; waited += step)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_producer.Flush(step) == 0)
                return 0;
        }

        return _producer.Flush(TimeSpan.Zero);
    }

    private void OnDelivery(DeliveryReport<string, byte[]> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.Increment(ref _failed);
            Interlocked.CompareExchange(ref _firstError, Describe(report.Error), null);
        }
        else
        {
            Interlocked.Increment(ref _delivered);
        }
    }

    private string Describe(Error error) => error.Code == ErrorCode.Local_MsgTimedOut
        ? $"Kafka at {_options.BootstrapServers} did not acknowledge within {_options.MessageTimeout.TotalSeconds:0.###} s (message.timeout.ms): is it running and reachable?"
        : $"Kafka at {_options.BootstrapServers} refused a message: {error.Reason} ({error.Code})";
}
