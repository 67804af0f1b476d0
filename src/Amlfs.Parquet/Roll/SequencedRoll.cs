using Amlfs.OfflineStore;
using Amlfs.Storage;
using Microsoft.Extensions.Logging;
using Parquet;

namespace Amlfs.Parquet.Roll;

/// <summary>
/// Rolls a gapless log of <typeparamref name="TRecord"/> into a dataset directory of day partitions, idempotent and
/// crash-safe without any bookkeeping file: a batch of records FIRST..LAST is written as one file per UTC day,
/// <see cref="DatasetLayout.DatasetLogPartFile"/>, each through a temporary file, fsync and rename. The rolled horizon is
/// read back from the files themselves: the largest LAST of a complete batch, one whose files hold exactly
/// LAST - FIRST + 1 rows. A crash can tear only the newest batch (batches are written in order, and the horizon moves
/// only once a batch is whole); <see cref="OpenAsync"/> deletes it when the log still holds its records, so the next roll
/// writes it again, and no record is ever written twice or lost. <see cref="LogRoller"/> (transactions) and
/// <see cref="DecisionRoller"/> (decisions) are the two tables rolled this way; only the rows they write differ.
/// <para>One caller at a time: <see cref="RollAsync"/> is not reentrant; <see cref="RolledSequence"/> may be read from any thread.</para>
/// </summary>
/// <typeparam name="TRecord">The log's record.</typeparam>
internal sealed partial class SequencedRoll<TRecord>
{
    private readonly string _dataset;
    private readonly int _batchRecords;
    private readonly Func<TRecord, long> _timestampOf;
    private readonly Func<Stream, IReadOnlyList<(long Sequence, TRecord Record)>, CancellationToken, Task> _writeRows;
    private long _rolled;

    private SequencedRoll(string dataset, long rolled, int batchRecords, Func<TRecord, long> timestampOf,
        Func<Stream, IReadOnlyList<(long Sequence, TRecord Record)>, CancellationToken, Task> writeRows)
    {
        _dataset = dataset;
        _rolled = rolled;
        _batchRecords = batchRecords;
        _timestampOf = timestampOf;
        _writeRows = writeRows;
    }

    /// <summary>The log sequence up to which every record is in the dataset (0 when none is).</summary>
    public long RolledSequence => Volatile.Read(ref _rolled);

    /// <summary>
    /// Reads the rolled horizon from the files under <paramref name="dataset"/>, deletes a torn newest batch whose
    /// records the log still holds (it starts at <paramref name="logFirstSequence"/>) and leftover temporary files.
    /// </summary>
    /// <param name="dataset">The dataset directory (e.g. <c>DATA/transactions</c>).</param>
    /// <param name="logFirstSequence">The oldest sequence the log still holds: a torn batch older than it is kept.</param>
    /// <param name="batchRecords">Most records per batch.</param>
    /// <param name="timestampOf">A record's event time, which picks its day partition.</param>
    /// <param name="writeRows">Writes one file's rows, sorted by (event time, sequence), to a stream.</param>
    /// <param name="logger">Receives a warning per repaired or kept batch.</param>
    /// <param name="cancellationToken">Stops the scan.</param>
    public static async Task<SequencedRoll<TRecord>> OpenAsync(string dataset, long logFirstSequence, int batchRecords, Func<TRecord, long> timestampOf,
        Func<Stream, IReadOnlyList<(long Sequence, TRecord Record)>, CancellationToken, Task> writeRows, ILogger? logger, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchRecords, 1);
        dataset = Path.GetFullPath(dataset);
        foreach (var date in DatasetLayout.DatasetPartitionDates(dataset))
        {
            foreach (var temporary in Directory.EnumerateFiles(DatasetLayout.DatasetPartitionDirectory(dataset, date), "part-log-*.tmp"))
                File.Delete(temporary);
        }

        var batches = await ScanAsync(dataset, cancellationToken).ConfigureAwait(false);
        var rolled = batches.Where(b => b.IsComplete).Select(b => b.LastSequence).DefaultIfEmpty(0).Max();
        foreach (var torn in batches.Where(b => !b.IsComplete && b.LastSequence > rolled))
        {
            if (torn.FirstSequence < logFirstSequence)
            {
                // The log no longer holds these records, so this is all there is of them: keep what is left.
                rolled = Math.Max(rolled, torn.LastSequence);
                if (logger is not null)
                    RollLog.IncompleteBatchKept(logger, dataset, torn.FirstSequence, torn.LastSequence, logFirstSequence);
                continue;
            }

            foreach (var file in torn.Files)
                File.Delete(file);
            if (logger is not null)
                RollLog.TornBatchDeleted(logger, dataset, torn.FirstSequence, torn.LastSequence, torn.Files.Count);
        }

        return new SequencedRoll<TRecord>(dataset, rolled, batchRecords, timestampOf, writeRows);
    }

    /// <summary>The rolled batches under <paramref name="dataset"/>, oldest first, with their rows counted from the files' footers.</summary>
    public static async Task<IReadOnlyList<RolledBatch>> ScanAsync(string dataset, CancellationToken cancellationToken)
    {
        var files = new List<(long First, long Last, string Path)>();
        foreach (var date in DatasetLayout.DatasetPartitionDates(dataset))
        {
            foreach (var path in DatasetLayout.DatasetPartitionFiles(dataset, date))
            {
                if (DatasetLayout.ParseLogPartFile(Path.GetFileName(path)) is { } range)
                    files.Add((range.First, range.Last, path));
            }
        }

        var batches = new List<RolledBatch>();
        foreach (var group in files.GroupBy(f => (f.First, f.Last)).OrderBy(g => g.Key.First))
        {
            long rows = 0;
            foreach (var file in group)
            {
                var count = await RowCountAsync(file.Path, cancellationToken).ConfigureAwait(false);
                rows = count < 0 || rows < 0 ? -1 : rows + count;
            }

            batches.Add(new RolledBatch(group.Key.First, group.Key.Last, group.Select(f => f.Path).Order(StringComparer.Ordinal).ToArray(), rows));
        }

        return batches;
    }

    /// <summary>
    /// Rolls the records of <paramref name="records"/> (in sequence order) after <see cref="RolledSequence"/>, in batches
    /// of at most the batch size; records at or below the horizon are skipped, so handing the same records twice is
    /// harmless. Returns what it wrote; <see cref="RolledSequence"/> advances after each batch is durable.
    /// </summary>
    public async Task<LogRollResult> RollAsync(IEnumerable<(long Sequence, TRecord Record)> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var batch = new List<(long Sequence, TRecord Record)>();
        long rolled = 0;
        var files = 0;
        foreach (var record in records)
        {
            if (record.Sequence <= RolledSequence || (batch.Count > 0 && record.Sequence <= batch[^1].Sequence))
                continue;
            if (batch.Count > 0 && record.Sequence != batch[^1].Sequence + 1)
            {
                // A gap (records deleted before a roller ever ran): the batch ends where the sequence breaks.
                files += await WriteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
                rolled += batch.Count;
                batch.Clear();
            }

            batch.Add(record);
            if (batch.Count < _batchRecords)
                continue;
            files += await WriteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
            rolled += batch.Count;
            batch.Clear();
        }

        if (batch.Count > 0)
        {
            files += await WriteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
            rolled += batch.Count;
        }

        return new LogRollResult(rolled, files, RolledSequence);
    }

    private async Task<int> WriteBatchAsync(List<(long Sequence, TRecord Record)> batch, CancellationToken cancellationToken)
    {
        var first = batch[0].Sequence;
        var last = batch[^1].Sequence;
        var days = batch
            .GroupBy(r => DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(_timestampOf(r.Record)).UtcDateTime))
            .OrderBy(g => g.Key)
            .ToList();
        var written = new List<string>(days.Count);
        try
        {
            foreach (var day in days)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var rows = day.OrderBy(r => _timestampOf(r.Record)).ThenBy(r => r.Sequence).ToList();
                var path = DatasetLayout.DatasetLogPartFile(_dataset, day.Key, first, last);
                written.Add(path);
                await TransactionParquetWriter.WriteFileAsync(path, async stream =>
                {
                    await _writeRows(stream, rows, cancellationToken).ConfigureAwait(false);
                    await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                    if (stream is FileStream file)
                        file.Flush(flushToDisk: true); // durable before the rename makes it count
                }).ConfigureAwait(false);
                DirectorySync.Flush(Path.GetDirectoryName(path)!);
            }
        }
        catch
        {
            // A batch is whole or absent: the next roll may cut its records into a different range, and a torn batch
            // left below a later horizon would be taken for history whose other days were deleted.
            foreach (var path in written)
                File.Delete(path);
            throw;
        }

        Volatile.Write(ref _rolled, last);
        return days.Count;
    }

    private static async Task<long> RowCountAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
                return reader.RowGroups.Sum(g => g.RowCount);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ParquetException)
        {
            return -1;
        }
    }
}
