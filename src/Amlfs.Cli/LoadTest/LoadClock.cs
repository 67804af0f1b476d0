namespace Amlfs.Cli.LoadTest;

/// <summary>
/// The load generator's time: a monotonic timestamp and a wait until a timestamp. An abstract class rather than
/// <see cref="TimeProvider"/> because the hot loop needs raw ticks and a wait finer than a millisecond; tests drive the
/// workers with a fake that advances only when told.
/// </summary>
internal abstract class LoadClock
{
    /// <summary>Ticks per second of <see cref="GetTimestamp"/>.</summary>
    public abstract long Frequency { get; }

    public abstract long GetTimestamp();

    /// <summary>Returns at <paramref name="timestamp"/> or shortly after; at once when it has passed.</summary>
    public abstract void WaitUntil(long timestamp);

    /// <summary>Called once on each worker thread before its first wait.</summary>
    public virtual void PrepareThread()
    {
    }

    public long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Frequency);

    public double Seconds(long ticks) => (double)ticks / Frequency;
}
