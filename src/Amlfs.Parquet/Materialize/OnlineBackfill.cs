using Amlfs.Engine;
using Amlfs.OfflineStore;
using Amlfs.Parquet.Roll;
using Amlfs.Registry;
using Amlfs.Storage;
using Microsoft.Extensions.Logging;

namespace Amlfs.Parquet.Materialize;

/// <summary>
/// Builds the online state for a registry version from history, so that a feature added with <c>apply</c> serves
/// correct values at once instead of filling up over its window (<c>amlfs materialize --backfill</c>).
/// <para>
/// History is the offline store's rows (generated, imported and rolled from the log) plus the write-ahead log records
/// not rolled yet. A rolled row and its log record are the same transaction: a log record is replayed only when its
/// sequence is after the rolled horizon and no rolled row of its day carries it. Rows without a log sequence are
/// history from before or outside the log. Everything is replayed day partition by day partition, each sorted by (event
/// time, log sequence), through the same <see cref="FeatureEngine"/> the server runs (a <see cref="Replay"/> per day):
/// never a second implementation of a feature. Only the days that can matter are read: from the newest day back over
/// <see cref="CoverageMs"/> (the dedup retention, or the longest window plus its hop, the allowed lateness and the
/// query history when that is longer).
/// </para>
/// <para>
/// The engine's whole state is then written as the snapshot for the log's last sequence, which the server's recovery
/// restores with nothing to replay after it; its admission gate keeps the watermark and every transaction id within the
/// dedup retention, so a live transaction repeating one from history is still a duplicate. Future timestamps are not
/// checked against the clock: history is what it is.
/// </para>
/// </summary>
public static class OnlineBackfill
{
    /// <summary>
    /// Replays the history under the locked data directory through a fresh engine for <paramref name="definition"/> and
    /// writes its snapshot. <paramref name="shardCount"/> must be the server's, or the server refuses the snapshot.
    /// </summary>
    /// <param name="held">The data directory's lock: no server may run on it meanwhile.</param>
    /// <param name="definition">The active definitions.</param>
    /// <param name="shardCount">The engine's shards, as the server will run.</param>
    /// <param name="progress">Called after each day with the days done and the days in all.</param>
    /// <param name="logger">Receives what opening the offline store's roll repaired (<see cref="LogRoller.OpenAsync"/>).</param>
    /// <param name="cancellationToken">Stops between days; no snapshot is written then.</param>
    public static async Task<BackfillResult> RunAsync(DataDirectoryLock held, RegistryDefinition definition, int shardCount,
        Action<int, int>? progress = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        var root = held.Directory;
        using var wal = WriteAheadLog.Open(Path.Combine(root, "wal"), new WalOptions { FlushPolicy = WalFlushPolicy.None });
        var roller = await LogRoller.OpenAsync(root, wal.FirstSequence, logger: logger, cancellationToken: cancellationToken).ConfigureAwait(false);
        var unrolled = new Dictionary<DateOnly, List<WalRecord>>();
        foreach (var record in wal.ReadFrom(roller.RolledSequence))
        {
            var day = DayOf(record.Transaction.TimestampMs);
            if (!unrolled.TryGetValue(day, out var list))
                unrolled[day] = list = [];
            list.Add(record);
        }

        var all = DatasetLayout.PartitionDates(root).Concat(unrolled.Keys).Distinct().Order().ToList();
        var days = all.Count == 0 ? all : all.Where(d => d >= FirstDay(all[^1], CoverageMs(definition))).ToList();

        var plan = FeaturePlan.Compile(definition);
        using var engine = new FeatureEngine(plan, EngineOptions.From(definition) with { ShardCount = shardCount });
        var counts = new Counts();
        for (var i = 0; i < days.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = await ReadDayAsync(root, days[i], unrolled.GetValueOrDefault(days[i]) ?? [], counts, cancellationToken).ConfigureAwait(false);
            using (var replay = new Replay(engine, rows))
                replay.FeedRemaining();
            progress?.Invoke(i + 1, days.Count);
        }

        engine.Flush();
        var snapshots = new SnapshotFiles(Path.Combine(root, "snapshots"));
        var snapshot = snapshots.Write(wal.LastSequence, engine.WriteSnapshot);
        snapshots.Prune(new EmbeddedStoreOptions().KeepSnapshots);
        return new BackfillResult(
            days.Count > 0 ? days[0] : null,
            days.Count > 0 ? days[^1] : null,
            days.Count,
            counts.OfflineRows,
            counts.LogRecords,
            counts.AlreadyRolled,
            engine.Accepted,
            engine.Duplicates,
            plan.Entities.ToDictionary(e => e.Name, engine.EntityCount, StringComparer.Ordinal),
            engine.Watermark,
            snapshot.Path,
            snapshot.Sequence);
    }

    /// <summary>
    /// How much history before the newest event the online state depends on: the dedup retention (ids a live
    /// transaction may repeat), or, when longer, the longest window plus its hop (tiled windows start at a hop
    /// boundary), the allowed lateness (a late event still lands in windows) and the query history (reads as of the past).
    /// </summary>
    public static long CoverageMs(RegistryDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return Math.Max(definition.DedupRetentionMs, definition.LongestWindowSpanMs + definition.AllowedLatenessMs + definition.QueryHistoryMs);
    }

    /// <summary>The first day to read: the newest event is at most the end of <paramref name="newestDay"/>.</summary>
    private static DateOnly FirstDay(DateOnly newestDay, long coverageMs)
    {
        var end = new DateTimeOffset(newestDay.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
        return DayOf(end - coverageMs);
    }

    private static DateOnly DayOf(long timestampMs) =>
        DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(timestampMs).UtcDateTime);

    /// <summary>
    /// One day's history: the partition's rows, then the log records none of them carries, sorted. A row without a log
    /// sequence replays under sequence 0: history from before the log.
    /// </summary>
    private static async Task<List<ReplayEvent>> ReadDayAsync(
        string root, DateOnly day, List<WalRecord> unrolled, Counts counts, CancellationToken cancellationToken)
    {
        var rows = new List<ReplayEvent>();
        var rolled = new HashSet<long>();
        foreach (var file in DatasetLayout.PartitionFiles(root, day))
        {
            await foreach (var row in TransactionParquetReader.ReadFileRowsAsync(file, cancellationToken).ConfigureAwait(false))
            {
                rows.Add(new ReplayEvent(row.Transaction, row.LogSequence ?? 0));
                if (row.LogSequence is { } sequence)
                    rolled.Add(sequence);
            }
        }

        counts.OfflineRows += rows.Count;
        foreach (var record in unrolled)
        {
            if (rolled.Contains(record.Sequence))
            {
                counts.AlreadyRolled++;
                continue;
            }

            rows.Add(new ReplayEvent(record.Transaction, record.Sequence));
            counts.LogRecords++;
        }

        // Stable: rows without a sequence (generated, imported) first among equal times, then the log's order.
        return rows.OrderBy(r => r.Transaction.TimestampMs).ThenBy(r => r.LogSequence).ToList();
    }

    private sealed class Counts
    {
        public long OfflineRows { get; set; }

        public long LogRecords { get; set; }

        public long AlreadyRolled { get; set; }
    }
}
