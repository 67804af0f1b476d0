namespace Amlfs.Kafka.Workers;

/// <summary>
/// The running counts behind <see cref="WorkerTotals"/>: written on the worker's thread by the parts of the worker,
/// read from any thread through <see cref="Totals"/>.
/// </summary>
internal sealed class WorkerCounters
{
    private long _consumed;
    private long _accepted;
    private long _duplicates;
    private long _late;
    private long _future;
    private long _malformed;
    private long _rekeyed;
    private long _statesWritten;
    private long _staleStates;
    private long _checkpoints;
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
        Checkpoints = Interlocked.Read(ref _checkpoints),
        Partitions = Volatile.Read(ref _partitions),
    };

    public void Consumed() => Interlocked.Increment(ref _consumed);

    public void Accepted() => Interlocked.Increment(ref _accepted);

    public void Duplicate() => Interlocked.Increment(ref _duplicates);

    public void Late() => Interlocked.Increment(ref _late);

    public void Future() => Interlocked.Increment(ref _future);

    public void Malformed() => Interlocked.Increment(ref _malformed);

    public void Rekeyed(int messages) => Interlocked.Add(ref _rekeyed, messages);

    public void StatesWritten(int states) => Interlocked.Add(ref _statesWritten, states);

    public void StaleStates(int states) => Interlocked.Add(ref _staleStates, states);

    public void CheckpointSaved() => Interlocked.Increment(ref _checkpoints);

    public void Owned(int partitions) => Volatile.Write(ref _partitions, partitions);
}
