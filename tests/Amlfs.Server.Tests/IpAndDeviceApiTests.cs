using System.Text.Json;
using Amlfs.Registry;
using Amlfs.Storage;
using Amlfs.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Server.Tests;

/// <summary>
/// Entity types joined on <c>ip_address</c> and <c>device_id</c> over a real port: <c>/predict</c> reads the IP and the
/// device a request names beside its customer and merchant, a request without them reads those entities as unknown,
/// and <c>GET /features/{entity}/{id}</c> serves them.
/// </summary>
public sealed class IpAndDeviceApiTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        new RegistryStore(_directory.Path).Apply(DefinitionsLoader.DefaultText(), "features.yaml", Now);
        _server = await RunningServer.StartAsync(new FakeTimeProvider(Now), _directory.Path);
        // Three accounts behind one IP within the hour, two of them on one device; a fourth account there 3 hours ago.
        var (status, body) = await _server.PostJsonAsync("/transactions", Requests.Array(
        [
            Requests.Transaction("T6", "A4", 600m, Now.AddHours(-3), ip: "177.20.0.9"),
            Requests.Transaction("T1", "A1", 100m, Now.AddMinutes(-50), ip: "177.20.0.9", device: "PHONE_1"),
            Requests.Transaction("T2", "A2", 200m, Now.AddMinutes(-40), ip: "177.20.0.9", device: "PHONE_1"),
            Requests.Transaction("T3", "A3", 300m, Now.AddMinutes(-30), ip: "177.20.0.9", device: "PHONE_2"),
            Requests.Transaction("T4", "A1", 400m, Now.AddMinutes(-20), ip: "177.20.0.9"),
            Requests.Transaction("T5", "A4", 500m, Now.AddMinutes(-10), ip: "10.1.1.1", device: "PHONE_3"),
        ]));
        Assert.Equal(200, status);
        Assert.Equal(6, body.GetProperty("accepted").GetInt32());
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Predict_reads_the_ip_and_the_device_that_the_request_names()
    {
        var (status, body) = await _server.PostJsonAsync("/predict", Requests.Transaction("P1", "A9", 50m, ip: "177.20.0.9", device: "PHONE_1"));

        Assert.Equal(200, status);
        var used = body.GetProperty("features_used");
        Assert.Equal(3.0, used.GetProperty("ip_unique_accounts_1h").GetDouble());
        Assert.Equal(4.0, used.GetProperty("ip_unique_accounts_24h").GetDouble());
        Assert.Equal(5.0, used.GetProperty("ip_txn_count_24h").GetDouble());
        Assert.Equal(1_600.0, used.GetProperty("ip_txn_amount_sum_24h").GetDouble());
        Assert.Equal(2.0, used.GetProperty("ip_unique_devices_24h").GetDouble());
        Assert.Equal(2.0, used.GetProperty("device_unique_accounts_1h").GetDouble());
        Assert.Equal(1.0, used.GetProperty("device_unique_ips_24h").GetDouble());
        Assert.Equal(0.0, used.GetProperty("txn_count_1h").GetDouble()); // the customer A9 is new
    }

    [Fact]
    public async Task A_request_without_an_ip_or_a_device_reads_them_as_unknown()
    {
        var (status, body) = await _server.PostJsonAsync("/predict", Requests.Transaction("P2", "A1", 50m, ip: null));

        Assert.Equal(200, status);
        var used = body.GetProperty("features_used");
        Assert.Equal(0.0, used.GetProperty("ip_unique_accounts_1h").GetDouble());
        Assert.Equal(0.0, used.GetProperty("device_txn_count_24h").GetDouble());
        Assert.Equal(2.0, used.GetProperty("txn_count_1h").GetDouble());
    }

    [Fact]
    public async Task First_seen_features_compare_the_request_with_the_accounts_last_30_days()
    {
        var (_, known) = await _server.PostJsonAsync("/predict", Requests.Transaction("P3", "A1", 50m, ip: "177.20.0.9", device: "PHONE_1"));
        var (_, fresh) = await _server.PostJsonAsync("/predict", Requests.Transaction("P4", "A1", 50m, merchant: "MERCH_NEW", ip: "10.1.1.1", device: "PHONE_3"));

        var seen = known.GetProperty("features_used");
        Assert.Equal((0.0, 0.0, 0.0), (seen.GetProperty("first_seen_counterparty_30d").GetDouble(), seen.GetProperty("first_seen_ip_30d").GetDouble(),
            seen.GetProperty("first_seen_device_30d").GetDouble()));
        Assert.Equal(Now.AddMinutes(-20).ToUnixTimeMilliseconds(), seen.GetProperty("counterparty_last_seen_30d").GetDouble());
        var unseen = fresh.GetProperty("features_used");
        Assert.Equal((1.0, 1.0, 1.0), (unseen.GetProperty("first_seen_counterparty_30d").GetDouble(), unseen.GetProperty("first_seen_ip_30d").GetDouble(),
            unseen.GetProperty("first_seen_device_30d").GetDouble()));
        Assert.Equal(30.0, unseen.GetProperty("days_since_counterparty_30d").GetDouble());
    }

    [Fact]
    public async Task A_batch_reads_each_transactions_own_ip()
    {
        var (status, body) = await _server.PostJsonAsync("/batch-predict", Requests.Array(
        [
            Requests.Transaction("B1", "A9", 50m, ip: "177.20.0.9"),
            Requests.Transaction("B2", "A9", 50m, ip: "10.1.1.1"),
        ]));

        Assert.Equal(200, status);
        var accounts = body.EnumerateArray().Select(r => r.GetProperty("features_used").GetProperty("ip_unique_accounts_1h").GetDouble());
        Assert.Equal([3.0, 1.0], accounts);
    }

    [Fact]
    public async Task The_features_of_an_ip_and_a_device_are_served_by_entity_name()
    {
        var (status, ip) = await _server.GetJsonAsync("/features/ip/177.20.0.9");
        var (_, device) = await _server.GetJsonAsync("/features/device/PHONE_1");
        var (_, unknown) = await _server.GetJsonAsync("/features/ip/192.0.2.1");
        var (missing, problem) = await _server.GetJsonAsync("/features/planet/earth");

        Assert.Equal(200, status);
        Assert.Equal("ip", ip.GetProperty("entity").GetString());
        Assert.True(ip.GetProperty("known").GetBoolean());
        Assert.Equal(3.0, ip.GetProperty("features").GetProperty("ip_unique_accounts_1h").GetDouble());
        Assert.Equal(2.0, device.GetProperty("features").GetProperty("device_unique_accounts_1h").GetDouble());
        Assert.False(unknown.GetProperty("known").GetBoolean());
        Assert.Equal(404, missing);
        Assert.Contains("planet", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_seed_merchant_route_still_reads_the_merchant()
    {
        var (status, merchant) = await _server.GetJsonAsync("/features/merchant/MERCH_000001");

        Assert.Equal(200, status);
        Assert.Equal("merchant", merchant.GetProperty("entity").GetString());
        Assert.Equal(5.0, merchant.GetProperty("features").GetProperty("merchant_txn_count_1h").GetDouble());
        Assert.Equal(JsonValueKind.Number, merchant.GetProperty("features").GetProperty("merchant_unique_customers_1h").ValueKind);
    }
}
