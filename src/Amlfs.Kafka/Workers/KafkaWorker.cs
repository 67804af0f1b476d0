using System.Globalization;
using Amlfs.Checkpoints;
using Amlfs.Engine;
using Amlfs.OnlineStore;
using Amlfs.Registry;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Amlfs.Kafka.Workers;

/// <summary>
/// A member of the workers' consumer group. For each partition the group gives it, it restores the partition's
/// latest checkpoint (an engine snapshot and the offset after it) and applies the messages from that offset on, in
/// order, with the engine's own admission rules: so a partition's state holds every message once, whichever workers
/// owned it before, however they stopped.
/// <para>
/// Per message: a malformed one goes to the dead-letter topic with its reason, and so do late and future ones, which
/// the partition's engine reports to the worker's <see cref="IRejectionSink"/> as the embedded engine reports them to
/// its dead-letter file; a duplicate is counted; an accepted one updates the ends of entities the partition keeps and,
/// on the source topic, is re-keyed onto each other topic that hosts an end of it (the merchant's, which also hosts
/// the inflows of accounts: <see cref="WorkerTopics"/>). After each batch the changed entities' states are written to the
/// online store, pipelined. Every <see cref="KafkaWorkerOptions.CheckpointInterval"/>, and when a partition is
/// revoked, the worker makes the batch's side effects durable (online store written, re-keyed and dead-lettered
/// messages acknowledged) and only then saves the checkpoint and commits the offset.
/// </para>
/// <para>
/// A crash between checkpoints replays the messages after the last one on whichever worker owns the partition next.
/// Its state is restored to the checkpoint, so nothing counts twice; re-keyed messages it publishes again are
/// duplicates the merchant side drops by transaction id; dead letters may repeat, with the same source offset header.
/// </para>
/// Single-threaded: <see cref="Run"/> does everything on the caller's thread, rebalance callbacks included. This class
/// is the consume loop and the group's callbacks; <see cref="PartitionApplier"/> applies messages,
/// <see cref="OnlineStateWriter"/> writes the changed states and <see cref="PartitionCheckpointer"/> saves checkpoints.
/// </summary>
public sealed partial class KafkaWorker : IDisposable
{
    /// <summary>Header of a dead letter: why it was rejected (<c>invalid</c>, <c>late</c>, <c>future_timestamp</c>: <see cref="IngestStatusNames.WireName"/>).</summary>
    public const string ReasonHeader = "amlfs-reason";

    /// <summary>Header of a dead letter: the rejection in words, naming the field or the times involved.</summary>
    public const string DetailHeader = "amlfs-detail";

    /// <summary>Header of a dead letter: <c>topic/partition/offset</c> of the message it copies.</summary>
    public const string SourceHeader = "amlfs-source";

    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How often the worker measures how far its partitions are behind the brokers' newest messages.</summary>
    private static readonly TimeSpan LagInterval = TimeSpan.FromSeconds(1);
    private readonly KafkaWorkerOptions _options;
    private readonly IPartitionCheckpointStore _checkpoints;
    private readonly PartitionRestorer _restorer;
    private readonly PartitionApplier _applier;
    private readonly OnlineStateWriter _states;
    private readonly PartitionCheckpointer _checkpointer;
    private readonly WorkerCounters _counters;
    private readonly ThrottledLog _kafkaErrors;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly IConsumer<byte[]?, byte[]> _consumer;
    private readonly WorkerProducer _producer;
    private readonly WorkerDecisions? _decisions;
    private readonly Dictionary<TopicPartition, OwnedPartition> _owned = [];
    private long _nextCheckpoint;
    private long _nextLag;
    private bool _paused;
    private Task? _closing;

    public KafkaWorker(KafkaWorkerOptions options, RegistryDefinition definition, IOnlineStore store,
        IPartitionCheckpointStore checkpoints, ILogger logger, TimeProvider? clock = null, ITransactionDecider? decider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(store);
        var errors = options.Validate();
        if (errors.Count > 0)
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        _options = options;
        _checkpoints = checkpoints ?? throw new ArgumentNullException(nameof(checkpoints));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _clock = clock ?? TimeProvider.System;
        var plan = FeaturePlan.Compile(definition);
        // One shard applied on this thread: the partition is the unit of parallelism, and a snapshot needs no hand-off.
        var engineOptions = EngineOptions.From(definition) with { ShardCount = 1, Threaded = false, ExpectedTransactions = 1 << 12 };
        Topics = WorkerTopics.For(plan, options.Topic, options.DeadLetterTopic, options.DecisionTopic);
        _counters = new WorkerCounters(Topics);
        _kafkaErrors = new ThrottledLog(_clock, TimeSpan.FromSeconds(10), (client, reason, suppressed) => LogKafkaError(_logger, client, reason, suppressed));
        _states = new OnlineStateWriter(store, plan, OnlineStateExpiry.TimeToLive(definition), _clock, _counters, _logger);

        var consumerConfig = new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.GroupId,
            // Offsets are stored only after a checkpoint and committed by the client in the background: the committed
            // offset shows the group's progress (lag) without a worker ever waiting for the group coordinator.
            EnableAutoCommit = true,
            AutoCommitIntervalMs = 1000,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            SessionTimeoutMs = (int)options.SessionTimeout.TotalMilliseconds,
            HeartbeatIntervalMs = Math.Max(100, (int)options.SessionTimeout.TotalMilliseconds / 4),
            MaxPollIntervalMs = (int)options.MaxPollInterval.TotalMilliseconds,
            FetchWaitMaxMs = Math.Max(1, (int)options.FetchWait.TotalMilliseconds),
            // A topic created after the subscription (a re-keyed topic no worker has asked for yet) is noticed within
            // the refresh interval.
            TopicMetadataRefreshIntervalMs = 5000,
        };
        if (options.ClientId is { } clientId)
            consumerConfig.ClientId = clientId;
        _producer = new WorkerProducer(options, Topics, _kafkaErrors);
        var deadLetters = new DeadLetterTopic(_producer, _counters);
        _decisions = decider is null ? null : new WorkerDecisions(decider, Topics.Decisions, _producer, _counters, _clock, _logger);
        _restorer = new PartitionRestorer(_checkpoints, options.GroupId, plan, engineOptions, deadLetters, _clock, _logger);
        _applier = new PartitionApplier(_producer, deadLetters, _counters, _decisions);
        _checkpointer = new PartitionCheckpointer(_checkpoints, options.GroupId, _states, _decisions, _producer, _counters, _logger);
        try
        {
            _consumer = new ConsumerBuilder<byte[]?, byte[]>(consumerConfig)
                .SetPartitionsAssignedHandler((_, partitions) => Assign(partitions))
                .SetPartitionsRevokedHandler((_, partitions) => Revoke(partitions, lost: false))
                .SetPartitionsLostHandler((_, partitions) => Revoke(partitions, lost: true))
                .SetErrorHandler((_, e) => _kafkaErrors.Write("consumer", e.Reason))
                .SetLogHandler((_, _) => { })
                .Build();
        }
        catch
        {
            _producer.Dispose();
            throw;
        }
    }

    /// <summary>The topics this worker consumes and writes.</summary>
    public WorkerTopics Topics { get; }

    /// <summary>Whether this worker decides the transactions its source partitions accept (it was given a decider).</summary>
    public bool Decides => _decisions is not null;

    /// <summary>What the worker has done so far; readable from any thread.</summary>
    public WorkerTotals Totals => _counters.Totals with { KafkaErrors = _kafkaErrors.Reported };

    /// <summary>
    /// <see cref="Run"/> on a thread of its own (the Kafka client and the rebalance callbacks block it); the task
    /// ends when the worker stops, and faults with what stopped it.
    /// </summary>
    public Task Start(CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => Run(cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>
    /// Consumes until <paramref name="cancellationToken"/> is cancelled, then checkpoints every owned partition and
    /// leaves the group, so that the others take its partitions over at once. Throws
    /// <see cref="WorkerFailedException"/> when it cannot go on without losing something (a re-keyed or dead-lettered
    /// message was not delivered, a fatal Kafka error); a restarted worker resumes from the last checkpoints.
    /// </summary>
    public void Run(CancellationToken cancellationToken)
    {
        RequestTopicsWritten();
        _consumer.Subscribe(Topics.Roles.Select(r => r.Topic));
        LogStarted(_logger, _options.GroupId, Topics.ToString(), Topics.DeadLetter, _checkpoints.Location);
        _nextCheckpoint = _clock.GetTimestamp() + ToTicks(_options.CheckpointInterval);
        while (!cancellationToken.IsCancellationRequested)
        {
            var applied = 0;
            var result = Consume(PollTimeout);
            while (result is not null)
            {
                // A message fetched before its partition was revoked: the next owner reads it from the checkpoint's offset.
                if (_owned.TryGetValue(result.TopicPartition, out var partition))
                    _applier.Apply(partition, result);
                if (++applied >= _options.MaxBatch)
                    break;
                result = Consume(TimeSpan.Zero);
            }

            // Decisions read the states just written: only once every changed state is in the store.
            if (_states.Write(_owned.Values, waitForStore: false))
                _decisions?.TryDecide(now: false);
            PauseWhileBacklogged();
            if (_clock.GetTimestamp() >= _nextCheckpoint)
            {
                CheckpointAll();
                _nextCheckpoint = _clock.GetTimestamp() + ToTicks(_options.CheckpointInterval);
            }

            if (_clock.GetTimestamp() >= _nextLag)
            {
                MeasureLag();
                _nextLag = _clock.GetTimestamp() + ToTicks(LagInterval);
            }
        }

        CheckpointAll();
        // Close leaves the group: the revoke callback runs for what is still owned, finds nothing new, and lets go. It
        // waits for the group coordinator, which may be gone; then the group notices at the session timeout instead.
        _closing = Task.Factory.StartNew(_consumer.Close, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (!_closing.Wait(CloseTimeout))
            LogCloseTimedOut(_logger, CloseTimeout.TotalSeconds);
        var totals = Totals;
        LogStopped(_logger, totals.Consumed, totals.Accepted, totals.Checkpoints);
    }

    /// <summary>
    /// Asks the brokers for the re-keyed and dead-letter topics this worker writes, which creates them where brokers
    /// create topics on first use: subscribed to at once, their partitions are assigned now rather than after the
    /// first re-keyed message and a metadata refresh. Where brokers do not, the topics must be created beforehand.
    /// </summary>
    private void RequestTopicsWritten()
    {
        using var admin = new DependentAdminClientBuilder(_producer.Handle).Build();
        var written = Topics.Roles.Where(r => !r.IsSource).Select(r => r.Topic).Append(Topics.DeadLetter);
        foreach (var topic in _decisions is null ? written : written.Append(Topics.Decisions))
        {
            try
            {
                admin.GetMetadata(topic, TimeSpan.FromSeconds(5));
            }
            catch (KafkaException e)
            {
                _kafkaErrors.Write("metadata", e.Error.Reason);
            }
        }
    }

    /// <summary>
    /// Releases the clients. Without a finished <see cref="Run"/> this is what a crash looks like to the group: no
    /// checkpoint, no goodbye; the group reassigns the partitions once the session times out.
    /// </summary>
    public void Dispose()
    {
        // A close still waiting for an unreachable coordinator holds the consumer; the process is stopping anyway.
        if (_closing is null or { IsCompleted: true })
            _consumer.Dispose();
        _producer.Dispose();
        foreach (var partition in _owned.Values)
            partition.Dispose();
        _owned.Clear();
    }

    private ConsumeResult<byte[]?, byte[]>? Consume(TimeSpan timeout)
    {
        try
        {
            return _consumer.Consume(timeout);
        }
        catch (ConsumeException e) when (!e.Error.IsFatal)
        {
            // E.g. a subscribed topic that does not exist yet: the client keeps trying, and so does the loop.
            _kafkaErrors.Write("consumer", e.Error.Reason);
            return null;
        }
        catch (ConsumeException e)
        {
            throw new WorkerFailedException($"Kafka at {_options.BootstrapServers} reported a fatal error: {e.Error.Reason}", e);
        }
    }

    /// <summary>
    /// Per topic, how many messages the owned partitions are behind their high watermarks, as the client last heard
    /// them from the brokers (no round trip); a partition whose watermark is not known yet counts as unknown.
    /// </summary>
    private void MeasureLag()
    {
        Span<long> lag = stackalloc long[Topics.Roles.Count];
        lag.Clear();
        foreach (var partition in _owned.Values)
        {
            var high = _consumer.GetWatermarkOffsets(partition.Partition).High;
            if (high == Offset.Unset || lag[partition.RoleIndex] < 0)
                lag[partition.RoleIndex] = -1;
            else
                lag[partition.RoleIndex] += Math.Max(0, high.Value - partition.NextOffset);
        }

        for (var role = 0; role < lag.Length; role++)
            _counters.Lag(role, lag[role]);
    }

    /// <summary>
    /// Stops fetching while too many transactions wait for their decisions (the features cannot be read), and starts
    /// again once they are decided; the consumer keeps polling meanwhile, so the group keeps the worker.
    /// </summary>
    private void PauseWhileBacklogged()
    {
        if (_decisions is null || _decisions.Backlogged == _paused)
            return;
        if (_paused)
            _consumer.Resume(_consumer.Assignment);
        else
            _consumer.Pause(_consumer.Assignment);
        _paused = !_paused;
    }

    private void CheckpointAll()
    {
        foreach (var partition in _owned.Values.ToArray())
            _checkpointer.TryCheckpoint(partition, _owned.Values, _consumer);
    }

    private IEnumerable<TopicPartitionOffset> Assign(List<TopicPartition> partitions)
    {
        var offsets = new List<TopicPartitionOffset>(partitions.Count);
        // One epoch for the partitions of this assignment, taken before anything of them is applied: the states written
        // for them carry it, so that once this worker has written an entity no earlier owner can overwrite it.
        var epoch = partitions.Count > 0 ? _states.TakeEpoch() : 0;
        foreach (var topicPartition in partitions)
        {
            var roleIndex = Topics.IndexOf(topicPartition.Topic);
            if (roleIndex < 0)
                throw new InvalidOperationException($"assigned {topicPartition}, a topic this worker does not consume");
            var role = Topics.Roles[roleIndex];
            var (engine, nextOffset) = _restorer.Restore(topicPartition, role);
            _owned[topicPartition] = new OwnedPartition(topicPartition, role, roleIndex, engine, nextOffset ?? 0, epoch);
            offsets.Add(new TopicPartitionOffset(topicPartition, nextOffset is { } o ? new Offset(o) : Offset.Beginning));
        }

        _counters.Owned(_owned.Count);
        LogAssigned(_logger, string.Join(", ", offsets.Select(o => $"{o.Topic}[{o.Partition.Value}]@{(o.Offset == Offset.Beginning ? "start" : o.Offset.Value.ToString(CultureInfo.InvariantCulture))}")));
        return offsets;
    }

    private void Revoke(List<TopicPartitionOffset> partitions, bool lost)
    {
        foreach (var topicPartition in partitions.Select(p => p.TopicPartition))
        {
            if (!_owned.TryGetValue(topicPartition, out var partition))
                continue;
            // A lost partition may already be another member's: its state must not overwrite that member's checkpoint.
            // A revoked one is checkpointed while still owned, so that its changed states are written with the others'
            // first: a checkpoint past states the store never took would lose them.
            if (!lost)
                _checkpointer.TryCheckpoint(partition, _owned.Values, _consumer);
            _owned.Remove(topicPartition);
            // What still waits for its decision is its next owner's to decide: it replays from the last checkpoint.
            _decisions?.Forget(topicPartition);
            partition.Dispose();
        }

        _counters.Owned(_owned.Count);
        LogRevoked(_logger, lost ? "lost" : "revoked", string.Join(", ", partitions.Select(p => $"{p.Topic}[{p.Partition.Value}]")));
    }

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _clock.TimestampFrequency);
}
