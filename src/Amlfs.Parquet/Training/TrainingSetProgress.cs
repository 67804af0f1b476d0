namespace Amlfs.Parquet.Training;

/// <summary>
/// Where a training-set build stands, updated from the building threads and read by any other (a progress bar):
/// rows of the store read, replay work done (of <see cref="ReplayTotal"/>, known once the store is read), rows written.
/// </summary>
public sealed class TrainingSetProgress
{
    private long _read;
    private long _replayed;
    private long _replayTotal;
    private long _written;
    private long _writeTotal;

    public long Read => Volatile.Read(ref _read);

    public long Replayed => Volatile.Read(ref _replayed);

    /// <summary>Replay work in all; 0 until the store has been read.</summary>
    public long ReplayTotal => Volatile.Read(ref _replayTotal);

    public long Written => Volatile.Read(ref _written);

    /// <summary>Rows to write; 0 until the replay is done.</summary>
    public long WriteTotal => Volatile.Read(ref _writeTotal);

    internal IProgress<long> ReadProgress => new Adder(this, 0);

    internal IProgress<long> ReplayProgress => new Adder(this, 1);

    internal void StartReplay(long total) => Volatile.Write(ref _replayTotal, total);

    internal void StartWrite(long total) => Volatile.Write(ref _writeTotal, total);

    internal void AddWritten(long rows) => Interlocked.Add(ref _written, rows);

    private sealed class Adder(TrainingSetProgress owner, int counter) : IProgress<long>
    {
        public void Report(long value)
        {
            if (counter == 0)
                Interlocked.Add(ref owner._read, value);
            else
                Interlocked.Add(ref owner._replayed, value);
        }
    }
}
