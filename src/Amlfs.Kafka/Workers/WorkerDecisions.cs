using System.Globalization;
using Amlfs.Transactions;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Amlfs.Kafka.Workers;

/// <summary>
/// The decisions of a worker that decides: the transactions its source partitions accepted wait here until their
/// entity states are in the online store, are then decided in one call to the <see cref="ITransactionDecider"/>, and
/// each decision is published to the decisions topic, keyed by customer, with <see cref="KafkaWorker.SourceHeader"/>
/// naming the transaction's message. A checkpoint decides what waits before it saves, so that no checkpoint passes an
/// undecided transaction: a worker that takes a partition over replays and decides again whatever was not published,
/// and a decision may so be published twice (at least once; <c>transaction_id</c> is the key to drop repeats by).
/// While the features cannot be read the transactions keep waiting and the worker tries again every
/// <see cref="RetryDelay"/>; past <see cref="MaxWaiting"/> of them the worker stops consuming until they are decided.
/// Single-threaded, on the worker's thread.
/// </summary>
internal sealed partial class WorkerDecisions(
    ITransactionDecider decider, string topic, WorkerProducer producer, WorkerCounters counters, TimeProvider clock, ILogger logger)
{
    /// <summary>Transactions waiting for their decisions beyond which the worker pauses consumption.</summary>
    public const int MaxWaiting = 50_000;

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);
    private readonly List<Waiting> _waiting = [];
    private long _nextAttempt;
    private bool _unavailable;

    /// <summary>The topic the decisions go to.</summary>
    public string Topic { get; } = topic;

    /// <summary>Whether so many transactions wait that the worker should stop consuming until they are decided.</summary>
    public bool Backlogged => _waiting.Count >= MaxWaiting;

    /// <summary>Adds a transaction <paramref name="partition"/> accepted at <paramref name="offset"/>, to be decided once its states are written.</summary>
    public void Add(OwnedPartition partition, Transaction transaction, long offset) =>
        _waiting.Add(new Waiting(partition.Partition, transaction, offset));

    /// <summary>Whether a transaction of <paramref name="partition"/> waits for its decision.</summary>
    public bool Waits(TopicPartition partition) => _waiting.Exists(w => w.Partition == partition);

    /// <summary>Drops what waits from <paramref name="partition"/>, which the worker no longer owns: its next owner decides it.</summary>
    public void Forget(TopicPartition partition) => _waiting.RemoveAll(w => w.Partition == partition);

    /// <summary>
    /// Decides every waiting transaction and publishes the decisions. Call only once the states of all of them are in
    /// the online store. Returns false, keeping them, when the features cannot be read; without
    /// <paramref name="now"/> it does not even try until the retry delay has passed since the last failure.
    /// </summary>
    /// <exception cref="WorkerFailedException">The decider failed otherwise (an unreadable state, a broken model).</exception>
    public bool TryDecide(bool now)
    {
        if (_waiting.Count == 0)
            return true;
        if (!now && _unavailable && clock.GetTimestamp() < _nextAttempt)
            return false;
        IReadOnlyList<Amlfs.Decisions.Decision>? decisions;
        try
        {
            decisions = decider.DecideAsync([.. _waiting.Select(w => w.Transaction)], [.. _waiting.Select(w => w.Offset + 1)], CancellationToken.None)
                .AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            throw new WorkerFailedException($"the transactions of this worker cannot be decided: {e.Message}", e);
        }

        if (decisions is null)
        {
            counters.DecisionsWaited();
            if (!_unavailable)
                LogDecisionsWaiting(logger, _waiting.Count);
            _unavailable = true;
            _nextAttempt = clock.GetTimestamp() + (long)(RetryDelay.TotalSeconds * clock.TimestampFrequency);
            return false;
        }

        if (decisions.Count != _waiting.Count)
            throw new WorkerFailedException($"the decider returned {decisions.Count} decisions for {_waiting.Count} transactions");
        if (_unavailable)
            LogDecisionsBack(logger);
        _unavailable = false;
        for (var i = 0; i < decisions.Count; i++)
        {
            var waiting = _waiting[i];
            producer.Publish(Topic, decisions[i], string.Create(CultureInfo.InvariantCulture, $"{waiting.Partition.Topic}/{waiting.Partition.Partition.Value}/{waiting.Offset}"));
            counters.Decided(decisions[i].Level);
        }

        _waiting.Clear();
        return true;
    }

    private readonly record struct Waiting(TopicPartition Partition, Transaction Transaction, long Offset);
}
