using System.Text.Json;
using Amlfs.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Server.Tests;

/// <summary>
/// The seed's five scenarios end to end over a real port: history goes in through <c>POST /transactions</c>, the
/// scored transaction through <c>POST /predict</c>, and each asserts the level and the facts of the explanation.
/// São Paulo is UTC-3 all year, so 15:00Z is noon there and 06:00Z is 3 a.m.
/// </summary>
public sealed class ScenarioTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);
    private RunningServer? _server;

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_normal_transaction_is_low_risk_with_no_risk_factors()
    {
        var server = await Start();
        await Ingest(server,
            Requests.Transaction("N1", "CUST_NORMAL", 120.50m, Noon.AddMinutes(-50), "MERCH_000001"),
            Requests.Transaction("N2", "CUST_NORMAL", 80.00m, Noon.AddMinutes(-20), "MERCH_000002"));

        var (level, explanation, features) = await Predict(server, Requests.Transaction("N3", "CUST_NORMAL", 150m, Noon));

        Assert.Equal("LOW", level);
        Assert.Equal(["No risk factors found"], explanation);
        Assert.Equal(2.0, features.GetProperty("txn_count_1h").GetDouble());
    }

    [Fact]
    public async Task A_burst_of_thirty_payments_in_a_minute_is_high_risk_for_its_velocity()
    {
        var server = await Start();
        await Ingest(server, Enumerable.Range(0, 29)
            .Select(i => Requests.Transaction($"B{i}", "CUST_BURST", 45m, Noon.AddSeconds(-58 + 2 * i), $"MERCH_{i % 5:D6}"))
            .ToArray());

        var (level, explanation, features) = await Predict(server, Requests.Transaction("B29", "CUST_BURST", 45m, Noon));

        Assert.Equal("HIGH", level);
        Assert.Contains("High velocity: 29 transactions per minute in the last hour (limit 1.5)", explanation);
        Assert.Equal(29.0, features.GetProperty("txn_count_60s").GetDouble()); // stored features exclude the scored payment
        Assert.Equal(30.0, features.GetProperty("txn_count_60s_with_current").GetDouble());
        Assert.Equal(29 * 45.0 + 45.0, features.GetProperty("txn_amount_sum_60s_with_current").GetDouble());
    }

    [Fact]
    public async Task A_high_value_transaction_names_the_amount_and_the_threshold()
    {
        var server = await Start();

        var (level, explanation, _) = await Predict(server, Requests.Transaction("H1", "CUST_HIGH", 15_000m, Noon));
        var (_, portuguese, _) = await Predict(server, Requests.Transaction("H1", "CUST_HIGH", 15_000m, Noon), "pt-BR");

        Assert.Equal("MEDIUM", level); // 0.30 exactly: LOW < 0.3 <= MEDIUM
        Assert.Equal(["High value transaction: R$ 15,000.00 is above R$ 10,000.00"], explanation);
        Assert.Equal(["Transação de alto valor: R$ 15.000,00 acima de R$ 10.000,00"], portuguese);
    }

    [Fact]
    public async Task Payments_from_four_ips_in_an_hour_name_the_distinct_ip_count()
    {
        var server = await Start();
        await Ingest(server, Enumerable.Range(0, 4)
            .Select(i => Requests.Transaction($"I{i}", "CUST_IPS", 200m, Noon.AddMinutes(-40 + 10 * i), ip: $"177.20.{i}.9"))
            .ToArray());

        var (level, explanation, features) = await Predict(server, Requests.Transaction("I4", "CUST_IPS", 200m, Noon, ip: "177.20.9.9"));

        Assert.Equal("MEDIUM", level);
        Assert.Equal(["Multiple IPs used: 4 distinct IPs in the last hour"], explanation);
        Assert.Equal(4.0, features.GetProperty("unique_ips_1h").GetDouble());
    }

    [Fact]
    public async Task Frequent_payments_at_night_are_named_with_their_count()
    {
        var threeAm = new DateTimeOffset(2026, 3, 10, 6, 0, 0, TimeSpan.Zero);
        var server = await Start(threeAm);
        await Ingest(server, Enumerable.Range(0, 5)
            .Select(i => Requests.Transaction($"A{i}", "CUST_NIGHT", 900m, threeAm.AddMinutes(-230 + 45 * i)))
            .ToArray());

        var (level, explanation, features) = await Predict(server, Requests.Transaction("A5", "CUST_NIGHT", 2_500m, threeAm), "pt-BR,pt;q=0.9,en;q=0.5");

        Assert.Equal("LOW", level);
        Assert.Equal(["Transações noturnas frequentes: 5 à noite nas últimas 24 horas"], explanation);
        Assert.Equal(5.0, features.GetProperty("night_txn_count_24h").GetDouble());
    }

    [Fact]
    public async Task Scoring_has_no_side_effect_unless_the_request_records_it()
    {
        var server = await Start();

        await Predict(server, Requests.Transaction("R1", "CUST_REC", 10m, Noon.AddSeconds(-2)));
        var (_, unchanged) = await server.GetJsonAsync("/features/CUST_REC");
        var (status, recorded) = await server.PostJsonAsync("/predict", Requests.Transaction("R1", "CUST_REC", 10m, Noon.AddSeconds(-2), record: true));
        var (_, changed) = await server.GetJsonAsync("/features/CUST_REC");
        var (_, again) = await server.PostJsonAsync("/predict", Requests.Transaction("R1", "CUST_REC", 10m, Noon.AddSeconds(-2), record: true));

        Assert.False(unchanged.GetProperty("known").GetBoolean());
        Assert.Equal(200, status);
        Assert.Equal("accepted", recorded.GetProperty("recorded").GetString());
        Assert.Equal(0.0, recorded.GetProperty("features_used").GetProperty("txn_count_60s").GetDouble()); // scored before it was ingested
        Assert.Equal(1.0, changed.GetProperty("features").GetProperty("txn_count_60s").GetDouble());
        Assert.Equal("duplicate", again.GetProperty("recorded").GetString());
    }

    private async Task<RunningServer> Start(DateTimeOffset? now = null) =>
        _server = await RunningServer.StartWithKeysAsync(new FakeTimeProvider(now ?? Noon)); // keys checked, as amlfs serve does by default

    private static async Task Ingest(RunningServer server, params string[] transactions)
    {
        var (status, body) = await server.PostJsonAsync("/transactions", Requests.Array(transactions));
        Assert.Equal(200, status);
        Assert.Equal(transactions.Length, body.GetProperty("accepted").GetInt32());
    }

    private static async Task<(string Level, string[] Explanation, JsonElement Features)> Predict(RunningServer server, string transaction, string? language = null)
    {
        var (status, body) = await server.PostJsonAsync("/predict", transaction, language);
        Assert.True(status == 200, body.ToString());
        var score = body.GetProperty("risk_score").GetDouble();
        Assert.InRange(score, 0, 1);
        Assert.Equal("rules-1", body.GetProperty("model_version").GetString());
        return (body.GetProperty("risk_level").GetString()!,
            body.GetProperty("explanation").EnumerateArray().Select(e => e.GetString()!).ToArray(),
            body.GetProperty("features_used"));
    }
}
