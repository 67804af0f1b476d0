using Amlfs.Scoring;

namespace Amlfs.Kafka.Workers;

/// <summary>
/// The running counts behind <see cref="WorkerTotals"/>: written on the worker's thread by the parts of the worker,
/// read from any thread through <see cref="Totals"/>. Per-topic counts are indexed like <see cref="WorkerTopics.Roles"/>.
/// </summary>
internal sealed class WorkerCounters(WorkerTopics topics)
{
    private readonly long[] _consumedByRole = new long[topics.Roles.Count];
    private readonly long[] _lagByRole = Enumerable.Repeat(-1L, topics.Roles.Count).ToArray();
    private long _consumed;
    private long _accepted;
    private long _duplicates;
    private long _late;
    private long _future;
    private long _malformed;
    private long _rekeyed;
    private long _statesWritten;
    private long _staleStates;
    private long _storeErrors;
    private long _checkpoints;
    private long _checkpointFailures;
    private readonly long[] _decidedByLevel = new long[Enum.GetValues<RiskLevel>().Length];
    private long _decisionsWaited;
    private long _newestEventMs = long.MinValue;
    private int _partitions;

    public WorkerTotals Totals => new()
    {
        Consumed = Interlocked.Read(ref _consumed),
        Accepted = Interlocked.Read(ref _accepted),
        Duplicates = Interlocked.Read(ref _duplicates),
        Late = Interlocked.Read(ref _late),
        FutureTimestamps = Interlocked.Read(ref _future),
        Malformed = Interlocked.Read(ref _malformed),
        Rekeyed = Interlocked.Read(ref _rekeyed),
        StatesWritten = Interlocked.Read(ref _statesWritten),
        StaleStates = Interlocked.Read(ref _staleStates),
        StoreErrors = Interlocked.Read(ref _storeErrors),
        Checkpoints = Interlocked.Read(ref _checkpoints),
        CheckpointFailures = Interlocked.Read(ref _checkpointFailures),
        Partitions = Volatile.Read(ref _partitions),
        DecidedByLevel = [.. _decidedByLevel.Select((_, i) => Interlocked.Read(ref _decidedByLevel[i]))],
        DecisionsWaited = Interlocked.Read(ref _decisionsWaited),
        NewestEvent = Interlocked.Read(ref _newestEventMs) is var ms && ms != long.MinValue ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
        Topics = [.. topics.Roles.Select((role, i) => new WorkerTopicTotals
        {
            Role = role,
            Consumed = Interlocked.Read(ref _consumedByRole[i]),
            Lag = Interlocked.Read(ref _lagByRole[i]) is var lag && lag >= 0 ? lag : null,
        })],
    };

    public void Consumed(int role)
    {
        Interlocked.Increment(ref _consumed);
        Interlocked.Increment(ref _consumedByRole[role]);
    }

    /// <summary>A transaction with time <paramref name="timestampMs"/> was accepted.</summary>
    public void Accepted(long timestampMs)
    {
        Interlocked.Increment(ref _accepted);
        // Only the worker's thread writes: a plain compare before the write is enough.
        if (timestampMs > Interlocked.Read(ref _newestEventMs))
            Interlocked.Exchange(ref _newestEventMs, timestampMs);
    }

    public void Duplicate() => Interlocked.Increment(ref _duplicates);

    public void Late() => Interlocked.Increment(ref _late);

    public void Future() => Interlocked.Increment(ref _future);

    public void Malformed() => Interlocked.Increment(ref _malformed);

    public void Rekeyed(int messages) => Interlocked.Add(ref _rekeyed, messages);

    public void StatesWritten(int states) => Interlocked.Add(ref _statesWritten, states);

    public void StaleStates(int states) => Interlocked.Add(ref _staleStates, states);

    /// <summary>A decision of <paramref name="level"/> was published.</summary>
    public void Decided(RiskLevel level) => Interlocked.Increment(ref _decidedByLevel[(int)level]);

    /// <summary>Deciding waited because the features could not be read.</summary>
    public void DecisionsWaited() => Interlocked.Increment(ref _decisionsWaited);

    public void StoreWriteFailed() => Interlocked.Increment(ref _storeErrors);

    public void CheckpointSaved() => Interlocked.Increment(ref _checkpoints);

    public void CheckpointFailed() => Interlocked.Increment(ref _checkpointFailures);

    public void Owned(int partitions) => Volatile.Write(ref _partitions, partitions);

    /// <summary>The messages the owned partitions of role <paramref name="role"/> are behind their high watermarks; -1 when unknown.</summary>
    public void Lag(int role, long messages) => Interlocked.Exchange(ref _lagByRole[role], messages);
}
