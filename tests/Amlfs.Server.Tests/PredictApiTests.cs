using Amlfs.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Server.Tests;

/// <summary><c>POST /predict</c> and <c>/batch-predict</c> details beyond the scenarios: responses, batches, bad input.</summary>
public sealed class PredictApiTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync(new FakeTimeProvider(Now));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_prediction_carries_the_seed_fields_and_the_model_version()
    {
        var (status, body) = await _server.PostJsonAsync("/predict", Requests.Transaction("P1", "C1", 8_750m));

        Assert.Equal(200, status);
        foreach (var field in new[] { "transaction_id", "customer_id", "merchant_id", "amount", "risk_score", "risk_level", "features_used", "explanation", "processing_time_ms", "model_version" })
            Assert.True(body.TryGetProperty(field, out _), $"missing {field}");
        Assert.Equal(8750m, body.GetProperty("amount").GetDecimal());
        Assert.Equal("2026-03-10T15:00:00.000Z", body.GetProperty("scored_at").GetString()); // the receive time
        Assert.False(body.TryGetProperty("recorded", out _));
        Assert.True(body.GetProperty("features_used").TryGetProperty("merchant_txn_count_1h", out _));
    }

    [Fact]
    public async Task Portuguese_explanations_format_money_the_brazilian_way()
    {
        var (_, body) = await _server.PostJsonAsync("/predict", Requests.Transaction("P1", "C1", 8_750m), "pt-BR");

        Assert.Equal("Transação de valor elevado: R$ 8.750,00 acima de R$ 5.000,00", body.GetProperty("explanation")[0].GetString());
    }

    [Fact]
    public async Task A_batch_gets_one_response_per_transaction_in_order()
    {
        var (status, body) = await _server.PostJsonAsync("/batch-predict", Requests.Array(
        [
            Requests.Transaction("P1", "C1", 10m),
            Requests.Transaction("P2", "C2", 12_000m, record: true),
            Requests.Transaction("P3", "C3", 20m),
        ]));

        Assert.Equal(200, status);
        Assert.Equal(["P1", "P2", "P3"], body.EnumerateArray().Select(r => r.GetProperty("transaction_id").GetString()));
        Assert.Equal(["LOW", "MEDIUM", "LOW"], body.EnumerateArray().Select(r => r.GetProperty("risk_level").GetString()));
        Assert.Equal("accepted", body[1].GetProperty("recorded").GetString());
    }

    [Fact]
    public async Task A_batch_with_a_bad_item_answers_400_naming_it_by_index()
    {
        var (status, body) = await _server.PostJsonAsync("/batch-predict", Requests.Array(
        [
            Requests.Transaction("P1", "C1", 10m),
            Requests.Transaction("P2", "", 10m),
        ]));

        Assert.Equal(400, status);
        Assert.True(body.GetProperty("errors").TryGetProperty("[1].customer_id", out _), body.ToString());
    }

    [Theory]
    [InlineData("""{"transaction_id":"P1","customer_id":"C1","merchant_id":"M1"}""", "amount")]
    [InlineData("""{"transaction_id":"P1","customer_id":"C1","merchant_id":"M1","amount":10,"timestamp":"2026-03-08T15:00:00Z"}""", "timestamp")]
    [InlineData("""{"transaction_id":"P1","customer_id":"C1","merchant_id":"M1","amount":10,"timestamp":"2026-03-10T16:00:00Z"}""", "timestamp")]
    [InlineData("""{"transaction_id":"P1","customer_id":"C1","merchant_id":"M1","amount":10,"record":"yes"}""", "record")]
    [InlineData("""[1,2]""", "body")]
    public async Task A_transaction_that_cannot_be_scored_answers_400_naming_the_field(string json, string field)
    {
        await _server.PostJsonAsync("/transactions", Requests.Transaction("T0", "C0", 1m, Now.AddSeconds(-1))); // a watermark
        var (status, body) = await _server.PostJsonAsync("/predict", json);

        Assert.Equal(400, status);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
    }
}
