using Amlfs.Consistency;
using Amlfs.Parquet.FeatureLog;
using Amlfs.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Server.Tests;

/// <summary>Feature logging: what <c>--log-features</c> writes for each served vector.</summary>
public sealed class FeatureLogTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Served_vectors_are_logged_with_their_as_of_time_and_log_sequence()
    {
        using var directory = new TempDirectory();
        var clock = new FakeTimeProvider(Now);
        double servedCount;
        await using (var server = await RunningServer.StartAsync(clock, directory.Path, s => s with { LogFeatures = true }))
        {
            await server.PostJsonAsync("/transactions", Requests.Array(
            [
                Requests.Transaction("T1", "C1", 100m, Now.AddMinutes(-3), "M1"),
                Requests.Transaction("T2", "C2", 50m, Now.AddMinutes(-2), "M1"),
                Requests.Transaction("T3", "C1", 20m, Now.AddMinutes(-1), "M2"),
            ]));
            var (_, read) = await server.GetJsonAsync("/features/C1?at=2026-03-10T14:58:30Z");
            servedCount = read.GetProperty("features").GetProperty("txn_count_1h").GetDouble();
            var (status, _) = await server.PostJsonAsync("/predict", """{"transaction_id":"P1","customer_id":"C1","merchant_id":"M1","amount":12.5}""");
            Assert.Equal(200, status);
            var metrics = await server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Contains("amlfs_feature_log_vectors_total{outcome=\"logged\"} 3", metrics, StringComparison.Ordinal);
        }

        var (vectors, dropped) = await FeatureLogFiles.ReadAsync(directory.Path);

        Assert.Equal(0, dropped);
        var read1 = Assert.Single(vectors, v => v.Kind == FeatureLogKind.Features);
        Assert.Equal(("customer", "C1", Tx.Utc(2026, 3, 10, 14, 58, 30), 3L, Now.ToUnixTimeMilliseconds()),
            (read1.Entity, read1.EntityId, read1.AsOfMs, read1.LogSequence, read1.ServedAtMs));
        Assert.Equal(servedCount, Value(read1, "txn_count_1h"));
        Assert.Equal(1.0, servedCount);
        Assert.Null(read1.RequestAmount);
        Assert.Null(Value(read1, "txn_count_60s_with_current"));

        var customer = Assert.Single(vectors, v => v.Kind == FeatureLogKind.Predict && v.Entity == "customer");
        Assert.Equal((Now.ToUnixTimeMilliseconds(), 3L, 12.5), (customer.AsOfMs, customer.LogSequence, customer.RequestAmount));
        Assert.Equal(2.0, Value(customer, "txn_count_1h"));
        Assert.Equal(2.0, Value(customer, "txn_count_60s_with_current")); // T3, a minute before, and the payment itself
        var merchant = Assert.Single(vectors, v => v.Entity == "merchant");
        Assert.Equal(("M1", 2L, 2.0), (merchant.EntityId, merchant.LogSequence, Value(merchant, "merchant_txn_count_1h")));
    }

    [Fact]
    public async Task Without_the_flag_nothing_is_logged()
    {
        using var directory = new TempDirectory();
        await using (var server = await RunningServer.StartAsync(new FakeTimeProvider(Now), directory.Path))
            await server.GetJsonAsync("/features/C1");

        Assert.False(Directory.Exists(FeatureLogFiles.Directory(directory.Path)));
    }

    private static double? Value(LoggedVector vector, string feature) =>
        vector.Values[vector.Names.ToList().IndexOf(feature)];
}
