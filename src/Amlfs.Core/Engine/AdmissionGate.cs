using System.Globalization;
using Amlfs.Registry;
using Amlfs.Transactions;

namespace Amlfs.Engine;

/// <summary>
/// Decides, once per transaction and before any shard sees it, whether it is accepted: future timestamps against the clock,
/// then duplicates by transaction id (a re-sent old payment is reported as a duplicate, not as late), then lateness against the source watermark (the largest accepted event
/// time). Deciding once keeps the customer's and the merchant's shards in agreement. Single-threaded. The partitioned
/// replay of training sets takes its decisions through the same gate (<see cref="PartitionedReplay"/>).
/// </summary>
internal sealed class AdmissionGate(EngineOptions options, TimeProvider? clock)
{
    private readonly TransactionIdSet _ids = new(options.ExpectedTransactions);
    private const int SweepSlotsPerAccept = 4;

    private long _watermark = long.MinValue;
    private long _clockMs;

    /// <summary>The largest accepted event time; readable from any thread.</summary>
    public long Watermark => Volatile.Read(ref _watermark);

    /// <summary>Writes the watermark and the ids that can still make a duplicate.</summary>
    public void WriteTo(SnapshotWriter writer)
    {
        writer.WriteInt64(_watermark);
        _ids.WriteTo(writer, _watermark == long.MinValue ? long.MinValue : _watermark - options.DedupRetentionMs);
    }

    /// <summary>
    /// Reads what <see cref="WriteTo"/> wrote into a gate that has admitted nothing: the ids go into its (empty) id
    /// table at once, so that a restore needs no second table; the watermark waits for <see cref="Restore"/>, and
    /// <see cref="ForgetIds"/> undoes a restore that fails later.
    /// </summary>
    public long ReadFrom(SnapshotReader reader)
    {
        var watermark = reader.ReadInt64();
        _ids.ReadFrom(reader);
        return watermark;
    }

    /// <summary>Empties the id table again after a <see cref="ReadFrom"/> whose snapshot turned out corrupt.</summary>
    public void ForgetIds() => _ids.Clear();

    /// <summary>Completes a restore: the watermark read by <see cref="ReadFrom"/>. Same thread as <see cref="Admit(Transaction, UInt128)"/>.</summary>
    public void Restore(long watermark) => Volatile.Write(ref _watermark, watermark);

    /// <summary>A hint that <paramref name="id"/> will be admitted soon.</summary>
    public void Prefetch(UInt128 id) => _ids.Prefetch(id);

    /// <summary>Decides on a transaction whose id fingerprint is <paramref name="id"/>.</summary>
    public IngestStatus Admit(Transaction transaction, UInt128 id) => Admit(transaction.TimestampMs, id, idRecurs: true);

    /// <summary>
    /// Decides on a transaction at <paramref name="t"/> (UTC milliseconds) whose id fingerprint is <paramref name="id"/>: the one
    /// admission rule, for live ingest and for the partitioned replay of a history alike. <paramref name="idRecurs"/>
    /// false says that the id occurs nowhere else in the caller's history: the gate then neither looks it up nor
    /// remembers it, which changes no decision (it could only match itself) and keeps the id table to the ids that recur.
    /// </summary>
    public IngestStatus Admit(long t, UInt128 id, bool idRecurs)
    {
        if (clock is not null)
        {
            _clockMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
            if (t > _clockMs + options.MaxClockSkewMs)
                return IngestStatus.FutureTimestamp;
        }

        // Exactly the retention: an id swept late by the periodic sweep must not count as a duplicate.
        if (idRecurs && _ids.Contains(id, _watermark == long.MinValue ? long.MinValue : _watermark - options.DedupRetentionMs))
            return IngestStatus.Duplicate;
        if (_watermark != long.MinValue && t < _watermark - options.AllowedLatenessMs)
            return IngestStatus.Late;
        if (idRecurs)
            _ids.Add(id, t);
        if (t > _watermark)
            Volatile.Write(ref _watermark, t);
        _ids.SweepStep(_watermark - options.DedupRetentionMs, SweepSlotsPerAccept);

        return IngestStatus.Accepted;
    }

    /// <summary>
    /// Why <see cref="Admit(Transaction, UInt128)"/> just rejected <paramref name="transaction"/> with <paramref name="status"/>, with the
    /// times it compared: the watermark for <c>late</c>, the clock reading for <c>future_timestamp</c>.
    /// </summary>
    public string Describe(Transaction transaction, IngestStatus status) => status switch
    {
        IngestStatus.Late => string.Create(CultureInfo.InvariantCulture,
            $"event time {transaction.Timestamp:O} is more than {WindowRules.FormatDuration(options.AllowedLatenessMs)} before the watermark {Time(_watermark):O} (the newest event time accepted)"),
        IngestStatus.FutureTimestamp => string.Create(CultureInfo.InvariantCulture,
            $"event time {transaction.Timestamp:O} is more than {WindowRules.FormatDuration(options.MaxClockSkewMs)} after the clock {Time(_clockMs):O}"),
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "admission rejects only late and future transactions"),
    };

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
