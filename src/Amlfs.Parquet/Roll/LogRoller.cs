using Amlfs.OfflineStore;
using Amlfs.Storage;
using Amlfs.Transactions;
using Microsoft.Extensions.Logging;

namespace Amlfs.Parquet.Roll;

/// <summary>
/// The offline store's roll (<see cref="IOfflineStoreRoll"/>) as Parquet files: the accepted transactions become unlabelled rows
/// (<c>is_suspicious</c> null, no typology) carrying their <c>log_sequence</c>, in the day partitions of their event
/// time, sorted in each file by (timestamp, log sequence). Idempotent and crash-safe as every roll of a log is
/// (<see cref="SequencedRoll{TRecord}"/>).
/// <para>One caller at a time: <see cref="RollAsync"/> is not reentrant; <see cref="RolledSequence"/> may be read from any thread.</para>
/// </summary>
public sealed class LogRoller : IOfflineStoreRoll
{
    /// <summary>Most records in one batch: bounds the memory of a roll (about 1 KB per record).</summary>
    public const int DefaultBatchRecords = 250_000;

    private readonly SequencedRoll<Transaction> _roll;

    private LogRoller(SequencedRoll<Transaction> roll) => _roll = roll;

    /// <summary>The log sequence up to which every record is in the offline store (0 when none is).</summary>
    public long RolledSequence => _roll.RolledSequence;

    /// <summary>
    /// Reads the rolled horizon from the files under <paramref name="dataDirectory"/>, deletes a torn newest batch
    /// whose records the log still holds (it starts at <paramref name="logFirstSequence"/>) and leftover temporary files.
    /// </summary>
    /// <param name="dataDirectory">The data directory (the offline store's root).</param>
    /// <param name="logFirstSequence">The oldest sequence the log still holds: a torn batch older than it is kept.</param>
    /// <param name="batchRecords">Most records per batch.</param>
    /// <param name="logger">Receives a warning per repaired or kept batch.</param>
    /// <param name="cancellationToken">Stops the scan.</param>
    public static async Task<LogRoller> OpenAsync(string dataDirectory, long logFirstSequence, int batchRecords = DefaultBatchRecords,
        ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        var roll = await SequencedRoll<Transaction>.OpenAsync(DatasetLayout.TransactionsDirectory(dataDirectory), logFirstSequence, batchRecords,
            t => t.TimestampMs, WriteRowsAsync, logger, cancellationToken).ConfigureAwait(false);
        return new LogRoller(roll);
    }

    /// <summary>The rolled batches under <paramref name="dataDirectory"/>, oldest first, with their rows counted from the files' footers.</summary>
    public static Task<IReadOnlyList<RolledBatch>> ScanAsync(string dataDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        return SequencedRoll<Transaction>.ScanAsync(DatasetLayout.TransactionsDirectory(dataDirectory), cancellationToken);
    }

    /// <summary>
    /// Rolls the records of <paramref name="records"/> (in sequence order) after <see cref="RolledSequence"/>, in batches
    /// of at most the batch size; records at or below the horizon are skipped, so handing the same records twice is
    /// harmless. Returns what it wrote; <see cref="RolledSequence"/> advances after each batch is durable.
    /// </summary>
    public Task<LogRollResult> RollAsync(IEnumerable<WalRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        return _roll.RollAsync(records.Select(r => (r.Sequence, r.Transaction)), cancellationToken);
    }

    private static Task WriteRowsAsync(Stream stream, IReadOnlyList<(long Sequence, Transaction Record)> rows, CancellationToken cancellationToken) =>
        TransactionParquetWriter.WriteAsync(stream,
            rows.Select(r => new LabeledTransaction(r.Record, null, Typologies.None) { LogSequence = r.Sequence }).ToList(),
            TransactionParquetWriter.DefaultRowGroupSize, cancellationToken);
}
