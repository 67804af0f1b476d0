namespace Amlfs.Server.Hosting;

/// <summary>
/// How far the decision stream trails ingest in event time, for its back-pressure: ingest waits while the decisions
/// trail the newest event by more than half the engine's history, so that every transaction is still decided as of
/// its own time. The decisions stand at the newest event time decided; before the first decision, at the first
/// transaction waiting for one, which is where the stream starts. Measured from there, a backlog already too old holds
/// ingest from the start, as it would once one batch is decided; with nothing decided and nothing waiting, nothing
/// trails. Any thread may call any member.
/// </summary>
internal sealed class DecisionLag
{
    /// <summary>Nothing decided and nothing waiting yet.</summary>
    private const long Nowhere = long.MinValue;

    private long _standsAtMs = Nowhere;

    /// <summary>
    /// A transaction of this event time waits for its decision. Only the first one counts, and only until something is
    /// decided: from then on the decisions stand where they reached.
    /// </summary>
    public void Waiting(long eventTimeMs)
    {
        if (Volatile.Read(ref _standsAtMs) == Nowhere)
            Interlocked.CompareExchange(ref _standsAtMs, eventTimeMs, Nowhere);
    }

    /// <summary>Decisions up to this event time are durable; the decisions never stand further back than before.</summary>
    public void Decided(long eventTimeMs)
    {
        var current = Volatile.Read(ref _standsAtMs);
        while (eventTimeMs > current && Interlocked.CompareExchange(ref _standsAtMs, eventTimeMs, current) != current)
            current = Volatile.Read(ref _standsAtMs);
    }

    /// <summary>
    /// Whether the decisions trail <paramref name="newestEventMs"/> (the engine's watermark, null before any event) by
    /// more than <paramref name="maxLagMs"/>.
    /// </summary>
    public bool Trails(long? newestEventMs, long maxLagMs)
    {
        var standsAt = Volatile.Read(ref _standsAtMs);
        return standsAt != Nowhere && newestEventMs is { } newest && newest - standsAt > maxLagMs;
    }
}
