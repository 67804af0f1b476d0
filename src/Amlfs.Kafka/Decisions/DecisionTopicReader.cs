using Amlfs.Decisions;
using Amlfs.Kafka.Workers;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Amlfs.Kafka.Decisions;

/// <summary>
/// Follows the decisions topic for a process that shows decisions without taking them (an API replica's dashboard):
/// every partition, from the newest <see cref="DecisionTopicReaderOptions.Backlog"/> decisions on, then each new one as
/// it arrives. It belongs to no consumer group's progress: it commits nothing, so every replica reads every decision
/// and a restarted one starts again from the newest. A topic that does not exist yet (no worker has decided) is looked
/// for again every second. A message that is not a decision is counted and logged (throttled), and skipped. Decisions
/// are delivered at least once, as the workers publish them: <c>transaction_id</c> is the key to drop repeats by.
/// </summary>
public sealed partial class DecisionTopicReader : IDisposable
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MetadataRetry = TimeSpan.FromSeconds(1);
    private readonly DecisionTopicReaderOptions _options;
    private readonly ILogger _logger;
    private readonly ThrottledLog _problems;
    private readonly IConsumer<byte[]?, byte[]> _consumer;
    private long _read;
    private long _unreadable;

    public DecisionTopicReader(DecisionTopicReaderOptions options, ILogger logger, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.BootstrapServers);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Topic);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Backlog);
        _options = options;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _problems = new ThrottledLog(clock ?? TimeProvider.System, TimeSpan.FromSeconds(10), (source, reason, suppressed) => LogUnreadable(_logger, source, reason, suppressed));
        _consumer = new ConsumerBuilder<byte[]?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            // A group of its own that never commits: the reader assigns its partitions itself and keeps no progress.
            GroupId = "amlfs-decisions-reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            FetchWaitMaxMs = 50,
        })
            .SetErrorHandler((_, e) => _problems.Write("consumer", e.Reason))
            .SetLogHandler((_, _) => { })
            .Build();
    }

    /// <summary>The topic read.</summary>
    public string Topic => _options.Topic;

    /// <summary>Decisions read so far.</summary>
    public long Read => Interlocked.Read(ref _read);

    /// <summary>Messages skipped because they were not decisions.</summary>
    public long Unreadable => Interlocked.Read(ref _unreadable);

    /// <summary>
    /// <see cref="Run"/> on a thread of its own (the Kafka client blocks it); the task ends when
    /// <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public Task Start(Action<IReadOnlyList<Decision>> receive, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => Run(receive, cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>
    /// Reads until <paramref name="cancellationToken"/> is cancelled, calling <paramref name="receive"/> with each batch
    /// of decisions read (at most <see cref="DecisionTopicReaderOptions.MaxBatch"/>), in order within each partition.
    /// </summary>
    public void Run(Action<IReadOnlyList<Decision>> receive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receive);
        while (!cancellationToken.IsCancellationRequested && !TryAssign())
            cancellationToken.WaitHandle.WaitOne(MetadataRetry);
        var batch = new List<Decision>(_options.MaxBatch);
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = Consume(PollTimeout);
            while (result is not null)
            {
                if (result.Message.Value is { } value)
                    Add(batch, value, result);
                if (batch.Count >= _options.MaxBatch)
                    break;
                result = Consume(TimeSpan.Zero);
            }

            if (batch.Count == 0)
                continue;
            Interlocked.Add(ref _read, batch.Count);
            receive(batch.ToArray());
            batch.Clear();
        }
    }

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }

    /// <summary>Assigns every partition of the topic from its newest decisions on; false while the topic does not exist.</summary>
    private bool TryAssign()
    {
        List<TopicPartition> partitions;
        try
        {
            using var admin = new DependentAdminClientBuilder(_consumer.Handle).Build();
            var topic = admin.GetMetadata(_options.Topic, TimeSpan.FromSeconds(5)).Topics.SingleOrDefault(t => t.Topic == _options.Topic);
            if (topic is null || topic.Error.IsError || topic.Partitions.Count == 0)
                return false;
            partitions = [.. topic.Partitions.Select(p => new TopicPartition(_options.Topic, p.PartitionId))];
        }
        catch (KafkaException e)
        {
            _problems.Write("metadata", e.Error.Reason);
            return false;
        }

        // The newest decisions, shared out over the partitions: what a process that keeps the newest ones shows first.
        var perPartition = (_options.Backlog + partitions.Count - 1) / partitions.Count;
        var offsets = new List<TopicPartitionOffset>(partitions.Count);
        foreach (var partition in partitions)
        {
            try
            {
                var marks = _consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(5));
                offsets.Add(new TopicPartitionOffset(partition, new Offset(Math.Max(marks.Low.Value, marks.High.Value - perPartition))));
            }
            catch (KafkaException e)
            {
                _problems.Write("watermarks", e.Error.Reason);
                return false;
            }
        }

        _consumer.Assign(offsets);
        LogFollowing(_logger, _options.Topic, partitions.Count, _options.Backlog);
        return true;
    }

    private void Add(List<Decision> batch, byte[] value, ConsumeResult<byte[]?, byte[]> result)
    {
        try
        {
            batch.Add(DecisionMessage.Parse(value));
        }
        catch (InvalidDataException e)
        {
            Interlocked.Increment(ref _unreadable);
            _problems.Write($"{result.Topic}/{result.Partition.Value}", $"offset {result.Offset.Value}: {e.Message}");
        }
    }

    private ConsumeResult<byte[]?, byte[]>? Consume(TimeSpan timeout)
    {
        try
        {
            return _consumer.Consume(timeout);
        }
        catch (ConsumeException e)
        {
            _problems.Write("consumer", e.Error.Reason);
            return null;
        }
    }
}
