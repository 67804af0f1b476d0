namespace Amlfs.Cli.LoadTest;

/// <summary>
/// The load generator's time: a monotonic timestamp in raw ticks. An abstract class rather than
/// <see cref="TimeProvider"/> because the hot loop needs raw ticks; tests drive the workers with a fake that advances
/// only when told.
/// </summary>
internal abstract class LoadClock
{
    /// <summary>Ticks per second of <see cref="GetTimestamp"/>.</summary>
    public abstract long Frequency { get; }

    public abstract long GetTimestamp();

    /// <summary>Called once on each worker thread before its first wait.</summary>
    public virtual void PrepareThread()
    {
    }

    public long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Frequency);

    public double Seconds(long ticks) => (double)ticks / Frequency;
}
