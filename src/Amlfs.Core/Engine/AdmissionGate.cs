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
    private readonly long _sweepEveryMs = Math.Max(60_000, options.DedupRetentionMs / 16);
    private long _nextSweepMs = long.MinValue;

    public long Watermark { get; private set; } = long.MinValue;

    public int RememberedIds => _ids.Count;

    public IngestStatus Admit(Transaction transaction)
    {
        var t = transaction.TimestampMs;
        var id = Fingerprint.Of128(transaction.TransactionId);
        if (clock is not null && t > clock.GetUtcNow().ToUnixTimeMilliseconds() + options.MaxClockSkewMs)
            return IngestStatus.FutureTimestamp;
        if (_ids.Contains(id))
            return IngestStatus.Duplicate;
        if (Watermark != long.MinValue && t < Watermark - options.AllowedLatenessMs)
            return IngestStatus.Late;
        _ids.Add(id, t);
        if (t > Watermark)
        {
            Watermark = t;
            if (t >= _nextSweepMs)
            {
                _ids.RemoveOlderThan(t - options.DedupRetentionMs);
                _nextSweepMs = t + _sweepEveryMs;
            }
        }

        return IngestStatus.Accepted;
    }
}
