using System.Diagnostics;
using Prometheus;

namespace Amlfs.Server.Observability;

/// <summary>
/// What a replica's reads from the online store did: round trips, failures and how long each took. Updated lock-free
/// by the feature source, read by <c>/metrics</c> and <c>/health</c>; each read's duration goes to
/// <paramref name="readDuration"/>.
/// </summary>
internal sealed class OnlineStoreSignals(IHistogram readDuration)
{
    private long _reads;
    private long _errors;
    private string? _lastError;

    public long Reads => Volatile.Read(ref _reads);

    public long Errors => Volatile.Read(ref _errors);

    /// <summary>The message of the newest failure, or null when the newest round trip succeeded.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>Records a round trip that succeeded; returns whether the one before it had failed.</summary>
    public bool RecordRead(long startTimestamp)
    {
        readDuration.Observe(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds);
        Interlocked.Increment(ref _reads);
        return Interlocked.Exchange(ref _lastError, null) is not null;
    }

    /// <summary>Records a failed round trip; returns whether the one before it had succeeded.</summary>
    public bool RecordError(string message)
    {
        Interlocked.Increment(ref _errors);
        return Interlocked.Exchange(ref _lastError, message) is null;
    }
}
