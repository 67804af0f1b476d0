using System.Globalization;
using Amlfs.Engine;
using Amlfs.OfflineStore;
using Amlfs.Parquet;
using Amlfs.Parquet.Roll;
using Amlfs.Storage;
using Amlfs.Synthetic;
using Amlfs.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Cli.Tests.Commands;

/// <summary><c>amlfs materialize</c>: the roll of the log into the offline store and the backfill of the online state.</summary>
public sealed class MaterializeCommandTests : IDisposable
{
    private const string PeakHours = "peak_hours_txn_count_1h";

    private static readonly SyntheticOptions History = new() { Customers = 40, Merchants = 8, Days = 2, Seed = 5 };

    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Data => _cli.PathOf("data");

    [Fact]
    public async Task A_feature_added_with_apply_serves_backfilled_values_as_soon_as_the_server_starts()
    {
        var rows = await WriteHistoryAsync();
        _cli.Write("features.yaml", DefinitionTexts.WithCustomerFeature(DefinitionTexts.PeakHoursFeature));
        Assert.Equal(0, _cli.Run("apply").ExitCode);
        var definition = new RegistryStore(Data).Active.Definition;

        var backfill = _cli.Run("materialize", "--backfill", "--shards", "2");

        Assert.True(backfill.ExitCode == 0, backfill.Error);
        Assert.Contains(backfill.OutputLines, l => l.Contains("Rows replayed", StringComparison.Ordinal) && l.Contains(rows.Count.ToString("N0", CultureInfo.InvariantCulture) + ":", StringComparison.Ordinal));
        Assert.Contains("snapshot-00000000000000000000.bin", backfill.Output, StringComparison.Ordinal);

        // The reference: the same engine fed the history directly. Noon in Sao Paulo on the last day is in the peak hours.
        using var reference = TestEngines.Inline(definition);
        foreach (var row in rows.OrderBy(r => r.Transaction.TimestampMs))
            reference.Ingest(row.Transaction);
        var lastDay = History.Start.AddDays(History.Days - 1);
        var q = new DateTimeOffset(lastDay.ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero).ToUnixTimeMilliseconds();
        var customer = rows.Select(r => r.Transaction.CustomerId).Distinct()
            .MaxBy(c => reference.Features("customer", c, q)[PeakHours])!;
        var expected = reference.Features("customer", customer, q);
        Assert.True(expected[PeakHours] > 0);

        var now = reference.Watermark!.Value.AddMinutes(1);
        await using var server = await RunningServer.StartAsync(new FakeTimeProvider(now), Data);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(q).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var (status, body) = await server.GetJsonAsync($"/features/{customer}?at={at}");

        Assert.Equal(200, status);
        Assert.True(body.GetProperty("known").GetBoolean());
        var served = body.GetProperty("features").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), served.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Log_records_and_their_rolled_rows_are_counted_once_and_live_repeats_stay_duplicates()
    {
        var history = await WriteHistoryAsync();
        var start = History.Start.AddDays(History.Days);
        var live = SyntheticGenerator.Stream(History with { Start = start, Days = 1, Seed = 6 }).Select(t => t.Transaction).ToList();
        long last;
        using (var engine = TestEngines.Inline())
        using (var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = Data, SegmentBytes = WalOptions.MinSegmentBytes }, engine, TimeProvider.System))
        {
            var statuses = new IngestStatus[live.Count];
            store.Ingest(live.ToArray(), statuses);
            Assert.All(statuses, s => Assert.Equal(IngestStatus.Accepted, s));
            last = store.LastSequence;
        }

        using (var wal = WriteAheadLog.Open(Path.Combine(Data, "wal"), new WalOptions()))
        {
            var roller = await LogRoller.OpenAsync(Data, wal.FirstSequence);
            await roller.RollAsync(wal.ReadFrom(0).Take(live.Count / 2)); // half rolled, half only in the log
        }

        var backfill = _cli.Run("materialize", "--backfill", "--shards", "2");
        Assert.True(backfill.ExitCode == 0, backfill.Error);
        Assert.Contains(backfill.OutputLines, l => l.Contains("Log records not rolled", StringComparison.Ordinal)
            && l.Contains((live.Count - live.Count / 2).ToString("N0", CultureInfo.InvariantCulture), StringComparison.Ordinal));

        var definition = TestEngines.Default;
        using var recovered = new FeatureEngine(FeaturePlan.Compile(definition), EngineOptions.From(definition) with { ShardCount = 2, Threaded = false });
        using (var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = Data }, recovered, TimeProvider.System))
        {
            Assert.Equal((last, 0L), (store.Recovery.SnapshotSequence, store.Recovery.RecordsReplayed));
            Assert.Equal(history.Count + live.Count, recovered.Accepted);
            Assert.Equal(0, recovered.Duplicates);

            using var reference = TestEngines.Inline();
            foreach (var t in history.Select(r => r.Transaction).Concat(live).OrderBy(t => t.TimestampMs))
                reference.Ingest(t);
            var q = reference.Watermark!.Value.ToUnixTimeMilliseconds() + 1;
            foreach (var customer in live.Select(t => t.CustomerId).Distinct())
                Assert.Equal(reference.Features("customer", customer, q), recovered.Features("customer", customer, q));

            // A live transaction repeating an id from the history within the dedup retention is a duplicate.
            var repeat = history[^1].Transaction with { TimestampMs = q };
            Assert.Equal(IngestStatus.Duplicate, recovered.Ingest(repeat));
        }
    }

    [Fact]
    public async Task Vectors_served_from_a_backfilled_state_recompute_exactly_with_the_history_from_before_the_log()
    {
        var rows = await WriteHistoryAsync();
        Assert.Equal(0, _cli.Run("materialize", "--backfill").ExitCode);
        var newest = rows.Max(r => r.Transaction.TimestampMs);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(newest).AddMinutes(1);
        var customers = rows.Select(r => r.Transaction.CustomerId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(5).ToArray();
        await using (var server = await RunningServer.StartAsync(new FakeTimeProvider(now), Data, s => s with { LogFeatures = true }))
        {
            for (var i = 0; i < customers.Length; i++)
            {
                var at = now.AddSeconds(-10 * i).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
                var (status, _) = await server.PostJsonAsync("/predict",
                    $$"""{"transaction_id":"LIVE{{i}}","customer_id":"{{customers[i]}}","merchant_id":"M1","amount":250.5,"timestamp":"{{at}}","record":true}""");
                Assert.Equal(200, status);
                Assert.Equal(200, (await server.GetJsonAsync($"/features/{customers[i]}")).Status);
            }
        }

        var check = _cli.Run("consistency", "--data-dir", Data);

        Assert.True(check.ExitCode == 0, check.Output + check.Error);
        using var json = System.Text.Json.JsonDocument.Parse(check.OutputLines[^1]);
        Assert.Equal(0, json.RootElement.GetProperty("mismatches").GetInt64());
        Assert.True(json.RootElement.GetProperty("vectors").GetInt64() >= 3 * customers.Length);
    }

    [Fact]
    public void Materialize_alone_rolls_the_whole_log_into_the_offline_store()
    {
        var transactions = SyntheticGenerator.Stream(History with { Days = 1 }).Select(t => t.Transaction).ToArray();
        using (var engine = TestEngines.Inline())
        using (var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = Data, SegmentBytes = WalOptions.MinSegmentBytes }, engine, TimeProvider.System))
        {
            var statuses = new IngestStatus[transactions.Length];
            store.Ingest(transactions, statuses);
        }

        var first = _cli.Run("materialize");
        var again = _cli.Run("materialize", "--roll");

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains(first.OutputLines, l => l.Contains("Rolled now", StringComparison.Ordinal) && l.Contains(transactions.Length.ToString("N0", CultureInfo.InvariantCulture) + " records", StringComparison.Ordinal));
        Assert.Contains(again.OutputLines, l => l.Contains("Rolled now", StringComparison.Ordinal) && l.Contains(" 0 records in 0 files", StringComparison.Ordinal));
        var ids = DatasetLayout.TransactionFiles(Data).SelectMany(f => TransactionParquetReader.ReadFileAsync(f).Result).Select(r => r.Transaction.TransactionId);
        Assert.Equal(transactions.Select(t => t.TransactionId).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Materialize_prints_the_rolled_batch_it_repairs_and_rolls_it_again()
    {
        var transactions = SyntheticGenerator.Stream(History with { Days = 1 }).Select(t => t.Transaction).ToArray();
        using (var engine = TestEngines.Inline())
        using (var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = Data }, engine, TimeProvider.System))
            store.Ingest(transactions, new IngestStatus[transactions.Length]);
        using (var wal = WriteAheadLog.Open(Path.Combine(Data, "wal"), new WalOptions()))
        {
            var roller = await LogRoller.OpenAsync(Data, wal.FirstSequence);
            await roller.RollAsync(wal.ReadFrom(0).Take(10));
            await roller.RollAsync(wal.ReadFrom(0));
        }

        var torn = (await LogRoller.ScanAsync(Data))[1];
        await File.WriteAllBytesAsync(torn.Files[0], [1, 2, 3]); // a crash left a file of the batch unreadable

        var result = _cli.Run("materialize");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains(result.OutputLines, l => l.Contains("deleted the torn rolled batch 11-", StringComparison.Ordinal));
        Assert.Contains(result.OutputLines, l => l.Contains("Rolled now", StringComparison.Ordinal)
            && l.Contains((transactions.Length - 10).ToString("N0", CultureInfo.InvariantCulture) + " records", StringComparison.Ordinal));
    }

    [Fact]
    public void Materialize_refuses_a_data_directory_a_server_holds()
    {
        using var held = DataDirectoryLock.Acquire(Data);

        var result = _cli.Run("materialize", "--backfill");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"the data directory {Data} is in use by another amlfs process", result.Error, StringComparison.Ordinal);
    }

    /// <summary>Two generated days in the offline store, labelled as <c>generate</c> writes them.</summary>
    private async Task<List<LabeledTransaction>> WriteHistoryAsync()
    {
        var rows = new List<LabeledTransaction>();
        foreach (var day in new SyntheticGenerator(History).GenerateDays())
        {
            await TransactionParquetWriter.WriteDayAsync(Data, day.Date, day.Transactions);
            rows.AddRange(day.Transactions);
        }

        return rows;
    }
}
