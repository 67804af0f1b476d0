using Amlfs.Logging;
using Amlfs.OfflineStore;
using Amlfs.Parquet.Roll;
using Amlfs.Storage;
using Amlfs.Testing;

namespace Amlfs.Parquet.Tests.Roll;

public sealed class LogRollerTests : IDisposable
{
    // Ten minutes either side of midnight UTC, a record a minute, with a few late records that cross back over it.
    private static readonly long Midnight = Tx.Utc(2026, 3, 11);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string WalDirectory => Path.Combine(_directory.Path, "wal");

    [Fact]
    public async Task Rolled_segments_read_back_in_order()
    {
        using var wal = WriteAheadLog.Open(WalDirectory, new WalOptions { SegmentBytes = WalOptions.MinSegmentBytes, FlushPolicy = WalFlushPolicy.None });
        var times = Times();
        foreach (var time in times)
            wal.Append(Tx.At(time, customer: "CUST_" + (time % 7)));
        wal.Commit();
        Assert.True(wal.SealedThrough > 0 && wal.SealedThrough < wal.LastSequence);

        var roller = await LogRoller.OpenAsync(_directory.Path, wal.FirstSequence);
        var sealedRoll = await roller.RollAsync(WalFiles.Read(WalDirectory, roller.RolledSequence, wal.SealedThrough));
        Assert.Equal((wal.SealedThrough, wal.SealedThrough), (sealedRoll.Records, sealedRoll.RolledSequence));
        var rest = await roller.RollAsync(wal.ReadFrom(roller.RolledSequence));
        Assert.Equal(wal.LastSequence, rest.RolledSequence);

        var files = DatasetLayout.TransactionFiles(_directory.Path);
        var batches = await LogRoller.ScanAsync(_directory.Path);
        Assert.Equal(2, batches.Count); // the sealed segments, then the rest
        Assert.All(batches, b => Assert.Equal(2, b.Files.Count)); // each over two days
        Assert.All(files, f => Assert.StartsWith("part-log-", Path.GetFileName(f), StringComparison.Ordinal));
        var all = new List<LabeledTransaction>();
        foreach (var file in files)
        {
            var rows = await TransactionParquetReader.ReadFileAsync(file);
            Assert.Single(rows.Select(r => r.Transaction.Timestamp.UtcDateTime.Date).Distinct());
            Assert.Equal(rows.OrderBy(r => r.Transaction.TimestampMs).ThenBy(r => r.LogSequence), rows);
            Assert.All(rows, r => Assert.Equal((null, Typologies.None), (r.IsSuspicious, r.Typology)));
            all.AddRange(rows);
        }

        Assert.Equal(Enumerable.Range(1, times.Length).Select(i => (long?)i), all.Select(r => r.LogSequence).Order());
        var logged = wal.ReadFrom(0).ToDictionary(r => r.Sequence, r => r.Transaction);
        Assert.All(all, r => Assert.Equal(logged[r.LogSequence!.Value], r.Transaction));
        Assert.Equal(wal.LastSequence, (await LogRoller.OpenAsync(_directory.Path, 1)).RolledSequence);
    }

    [Fact]
    public async Task Rolling_the_same_records_again_writes_nothing()
    {
        var records = Records(Times());
        var roller = await LogRoller.OpenAsync(_directory.Path, 1, batchRecords: 8);
        var first = await roller.RollAsync(records);

        var reopened = await LogRoller.OpenAsync(_directory.Path, 1, batchRecords: 8);
        var again = await reopened.RollAsync(records);

        Assert.Equal(records.Length, first.Records);
        Assert.Equal((0, 0, (long)records.Length), (again.Records, again.Files, again.RolledSequence));
        Assert.Equal(records.Length, await RowCountAsync());
    }

    [Fact]
    public async Task A_batch_torn_by_a_crash_is_deleted_and_rolled_again()
    {
        var records = Records(Times());
        var roller = await LogRoller.OpenAsync(_directory.Path, 1);
        await roller.RollAsync(records.Take(10)); // all before midnight
        await roller.RollAsync(records.Skip(10));
        var batches = await LogRoller.ScanAsync(_directory.Path);
        Assert.Equal(2, batches.Count);
        Assert.Equal(2, batches[1].Files.Count);
        File.Delete(batches[1].Files[1]); // the crash came before the batch's second day was written

        var logger = new LineLogger();
        var reopened = await LogRoller.OpenAsync(_directory.Path, 1, logger: logger);
        Assert.Equal(10, reopened.RolledSequence);
        Assert.Contains(logger.Messages, l => l.Contains("deleted the torn rolled batch 11-", StringComparison.Ordinal));
        Assert.Equal([AmlfsEventId.RollRepaired], logger.EventIds);
        await reopened.RollAsync(records);

        Assert.Equal(records.Length, await RowCountAsync());
        Assert.All(await LogRoller.ScanAsync(_directory.Path), b => Assert.True(b.IsComplete));
    }

    [Fact]
    public async Task A_batch_that_fails_halfway_leaves_no_file_behind()
    {
        var records = Records(Times());
        var blocked = DatasetLayout.LogPartFile(_directory.Path, DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(Midnight).UtcDateTime), 1, records.Length);
        Directory.CreateDirectory(blocked); // the second day's file cannot be renamed into place
        var roller = await LogRoller.OpenAsync(_directory.Path, 1);

        await Assert.ThrowsAnyAsync<Exception>(() => roller.RollAsync(records));

        Assert.Empty(DatasetLayout.TransactionFiles(_directory.Path)); // the first day's file went too
        Assert.Equal(0, roller.RolledSequence);
        Directory.Delete(blocked);
        await roller.RollAsync(records);
        Assert.Equal(records.Length, await RowCountAsync());
    }

    [Fact]
    public async Task A_torn_batch_the_log_no_longer_holds_is_kept()
    {
        var records = Records(Times());
        var roller = await LogRoller.OpenAsync(_directory.Path, 1);
        await roller.RollAsync(records);
        var batch = Assert.Single(await LogRoller.ScanAsync(_directory.Path));
        File.Delete(batch.Files[0]);

        var logger = new LineLogger();
        var reopened = await LogRoller.OpenAsync(_directory.Path, logFirstSequence: records.Length + 1, logger: logger);

        Assert.Equal(records.Length, reopened.RolledSequence);
        Assert.Contains(logger.Messages, l => l.Contains("kept the incomplete rolled batch 1-", StringComparison.Ordinal));
        Assert.Equal([AmlfsEventId.RollIncompleteBatchKept], logger.EventIds);
        Assert.Single(DatasetLayout.TransactionFiles(_directory.Path));
    }

    /// <summary>A record a minute from 23:00 to 00:59 UTC, then two late ones from before midnight.</summary>
    private static long[] Times() => Enumerable.Range(-60, 120).Select(m => Midnight + m * 60_000L)
        .Concat([Midnight - 30_000, Midnight - 90_000])
        .ToArray();

    private static WalRecord[] Records(long[] times) =>
        times.Select((t, i) => new WalRecord(i + 1, Tx.At(t))).ToArray();

    private async Task<long> RowCountAsync()
    {
        long rows = 0;
        foreach (var file in DatasetLayout.TransactionFiles(_directory.Path))
            rows += (await TransactionParquetReader.ReadFileAsync(file)).Count;
        return rows;
    }
}
