using Amlfs.OfflineStore;
using Amlfs.Parquet;
using Amlfs.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Server.Tests;

public sealed class LogRollTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 23, 59, 0, TimeSpan.Zero);

    [Fact]
    public async Task Accepted_transactions_roll_into_the_offline_store_and_a_clean_stop_rolls_the_rest()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(Now);
        var ids = new List<string>();
        await using (var server = await RunningServer.StartAsync(clock, dir.Path, s => s with { WalSegmentBytes = 4096 }))
        {
            for (var i = 0; i < 12; i++)
            {
                var batch = Enumerable.Range(0, 10).Select(k => ($"T{i}-{k}", Now.AddSeconds(-50 + i * 10 + k))).ToList();
                ids.AddRange(batch.Select(b => b.Item1));
                var (status, _) = await server.PostJsonAsync("/transactions", Requests.Array(
                    batch.Select(b => Requests.Transaction(b.Item1, "C" + (ids.Count % 3), 10m, b.Item2))));
                Assert.Equal(200, status);
                clock.Advance(TimeSpan.FromSeconds(10));
            }

            // A duplicate is not logged, so it does not roll.
            Assert.Equal(200, (await server.PostJsonAsync("/transactions", Requests.Transaction("T0-0", "C1", 10m, Now))).Status);
        }

        var rows = new List<LabeledTransaction>();
        foreach (var file in DatasetLayout.TransactionFiles(dir.Path))
            rows.AddRange(await TransactionParquetReader.ReadFileAsync(file));
        Assert.Equal(ids.Order(StringComparer.Ordinal), rows.Select(r => r.Transaction.TransactionId).Order(StringComparer.Ordinal));
        Assert.Equal(Enumerable.Range(1, ids.Count).Select(i => (long?)i), rows.Select(r => r.LogSequence).Order());
        Assert.All(rows, r => Assert.Null(r.IsSuspicious));
        Assert.Equal(2, DatasetLayout.PartitionDates(dir.Path).Count); // the traffic crossed midnight UTC

        await using var restarted = await RunningServer.StartAsync(clock, dir.Path);
        var (_, health) = await restarted.GetJsonAsync("/health");
        var store = health.GetProperty("components").GetProperty("store").GetProperty("details");
        Assert.Equal(ids.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), store.GetProperty("rolled_sequence").GetString());
        Assert.Equal("0", store.GetProperty("roll_lag_records").GetString());
        Assert.Equal("", store.GetProperty("roll_error").GetString());
    }
}
