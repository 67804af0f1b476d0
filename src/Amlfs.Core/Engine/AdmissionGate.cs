using Amlfs.Transactions;

namespace Amlfs.Engine;

/// <summary>
/// Decides, once per transaction and before any shard sees it, whether it is accepted: future timestamps against the clock,
/// then duplicates by transaction id (a re-sent old payment is reported as a duplicate, not as late), then lateness against the source watermark (the largest accepted event
/// time). Deciding once keeps the customer's and the merchant's shards in agreement. Single-threaded.
/// </summary>
internal sealed class AdmissionGate(EngineOptions options, TimeProvider? clock)
{
    private readonly TransactionIdSet _ids = new(options.ExpectedTransactions);
    private const int SweepSlotsPerAccept = 4;

    private long _watermark = long.MinValue;

    /// <summary>The largest accepted event time; readable from any thread.</summary>
    public long Watermark => Volatile.Read(ref _watermark);

    /// <summary>A hint that <paramref name="id"/> will be admitted soon.</summary>
    public void Prefetch(UInt128 id) => _ids.Prefetch(id);

    /// <summary>Decides on a transaction whose id fingerprint is <paramref name="id"/>.</summary>
    public IngestStatus Admit(Transaction transaction, UInt128 id)
    {
        var t = transaction.TimestampMs;
        if (clock is not null && t > clock.GetUtcNow().ToUnixTimeMilliseconds() + options.MaxClockSkewMs)
            return IngestStatus.FutureTimestamp;
        // Exactly the retention: an id swept late by the periodic sweep must not count as a duplicate.
        if (_ids.Contains(id, _watermark == long.MinValue ? long.MinValue : _watermark - options.DedupRetentionMs))
            return IngestStatus.Duplicate;
        if (_watermark != long.MinValue && t < _watermark - options.AllowedLatenessMs)
            return IngestStatus.Late;
        _ids.Add(id, t);
        if (t > _watermark)
            Volatile.Write(ref _watermark, t);
        _ids.SweepStep(_watermark - options.DedupRetentionMs, SweepSlotsPerAccept);

        return IngestStatus.Accepted;
    }
}
