namespace Amlfs.Server.Hosting;

/// <summary>What the in-process synthetic producer has done; written by the producer, read by <c>/health</c>.</summary>
internal sealed class ProducerStatus
{
    public const string Disabled = "disabled";
    public const string Running = "running";
    public const string Stopped = "stopped";
    public const string Unhealthy = "unhealthy";

    private long _sent;
    private long _accepted;

    /// <summary><see cref="Disabled"/>, <see cref="Running"/>, <see cref="Stopped"/> or <see cref="Unhealthy"/>.</summary>
    public string State { get; set; } = Disabled;

    public double Rate { get; set; }

    public string? Error { get; set; }

    public long Sent => Volatile.Read(ref _sent);

    public long Accepted => Volatile.Read(ref _accepted);

    public void Record(int sent, int accepted)
    {
        Interlocked.Add(ref _sent, sent);
        Interlocked.Add(ref _accepted, accepted);
    }
}
