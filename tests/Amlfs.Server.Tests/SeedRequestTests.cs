using System.Text.Json;
using System.Text.RegularExpressions;
using Amlfs.Testing;

namespace Amlfs.Server.Tests;

/// <summary>
/// The requests of the seed's README (the specification of the Python system this one replaces), sent exactly as it
/// writes them, whitespace included, to a server on a real port that checks API keys (the seed has none; the client
/// adds an admin key): each answers 200 with the fields the seed promises.
/// </summary>
public sealed partial class SeedRequestTests : IAsyncLifetime
{
    // "8. Testar o Sistema": curl -X POST "http://localhost:8000/predict" -H "Content-Type: application/json" -d '...'
    private const string CurlPredictBody = """
        {
               "customer_id": "CUST_000001",
               "merchant_id": "MERCH_00001", 
               "amount": 1500.00,
               "ip_address": "192.168.1.100"
             }
        """;

    // "POST /predict - Predição de Risco", its Request.
    private const string ApiPredictBody = """
        {
          "customer_id": "CUST_000001",
          "merchant_id": "MERCH_00001",
          "amount": 2500.00,
          "ip_address": "192.168.1.100"
        }
        """;

    private static readonly string[] SeedResponseFields =
        ["transaction_id", "customer_id", "merchant_id", "amount", "risk_score", "risk_level", "features_used", "explanation", "processing_time_ms"];

    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartWithKeysAsync(); // keys checked, as amlfs serve does by default

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_health_check_answers_200()
    {
        // curl http://localhost:8000/health
        using var response = await _server.Client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(200, (int)response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("healthy", body.RootElement.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(CurlPredictBody, 1500)]
    [InlineData(ApiPredictBody, 2500)]
    public async Task A_predict_request_without_a_transaction_id_is_scored_under_an_id_the_server_made(string body, int amount)
    {
        var (status, response) = await _server.PostJsonAsync("/predict", body);

        Assert.Equal(200, status);
        foreach (var field in SeedResponseFields)
            Assert.True(response.TryGetProperty(field, out _), $"missing {field}: {response}");
        Assert.Matches(MadeId(), response.GetProperty("transaction_id").GetString());
        Assert.Equal(("CUST_000001", "MERCH_00001", amount), (response.GetProperty("customer_id").GetString(),
            response.GetProperty("merchant_id").GetString(), response.GetProperty("amount").GetInt32()));
        Assert.Contains(response.GetProperty("risk_level").GetString(), new[] { "LOW", "MEDIUM", "HIGH" });
    }

    [Fact]
    public async Task The_features_of_the_seed_customer_answer_200()
    {
        // GET /features/{customer_id}
        var (status, response) = await _server.GetJsonAsync("/features/CUST_000001");

        Assert.Equal(200, status);
        Assert.Equal("CUST_000001", response.GetProperty("entity_id").GetString());
        Assert.True(response.GetProperty("features").TryGetProperty("txn_count_1h", out _));
    }

    [Fact]
    public async Task A_batch_of_the_seed_requests_is_scored_each_under_an_id_of_its_own()
    {
        var (status, response) = await _server.PostJsonAsync("/batch-predict", $"[{CurlPredictBody},{ApiPredictBody}]");

        Assert.Equal(200, status);
        var ids = response.EnumerateArray().Select(r => r.GetProperty("transaction_id").GetString()!).ToArray();
        Assert.Equal(2, ids.Length);
        Assert.All(ids, id => Assert.Matches(MadeId(), id));
        Assert.NotEqual(ids[0], ids[1]);
    }

    [Fact]
    public async Task Recording_a_transaction_without_an_id_records_it_under_the_made_id()
    {
        var recorded = ApiPredictBody.Replace("\"amount\"", "\"record\": true,\n  \"amount\"", StringComparison.Ordinal);

        var (status, response) = await _server.PostJsonAsync("/predict", recorded);
        var id = response.GetProperty("transaction_id").GetString()!;
        var (_, features) = await _server.GetJsonAsync("/features/CUST_000001");
        var (_, again) = await _server.PostJsonAsync("/transactions",
            $$"""{"transaction_id":"{{id}}","customer_id":"CUST_000001","merchant_id":"MERCH_00001","amount":2500.00}""");

        Assert.Equal((200, "accepted"), (status, response.GetProperty("recorded").GetString()));
        Assert.Equal(1, features.GetProperty("features").GetProperty("txn_count_1h").GetInt32());
        Assert.Equal("duplicate", again.GetProperty("results")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ingest_still_requires_a_transaction_id_for_idempotency()
    {
        var (status, response) = await _server.PostJsonAsync("/transactions", ApiPredictBody);

        Assert.Equal(400, status);
        Assert.Equal("is required", response.GetProperty("errors").GetProperty("transaction_id")[0].GetString());
    }

    [Fact]
    public async Task Bad_input_still_gets_its_400_naming_the_field()
    {
        var (status, response) = await _server.PostJsonAsync("/predict", ApiPredictBody.Replace("2500.00", "-5", StringComparison.Ordinal));
        var (typeStatus, typeResponse) = await _server.PostJsonAsync("/predict", ApiPredictBody.Replace("\"CUST_000001\"", "1", StringComparison.Ordinal));

        Assert.Equal((400, 400), (status, typeStatus));
        Assert.True(response.GetProperty("errors").TryGetProperty("amount", out _));
        Assert.Equal("must be a string, got a number", typeResponse.GetProperty("errors").GetProperty("customer_id")[0].GetString());
        Assert.False(typeResponse.GetProperty("errors").TryGetProperty("transaction_id", out _));
    }

    /// <summary>The documented form of a made id: <c>txn_</c>, Unix milliseconds, <c>_</c>, 16 hexadecimal digits.</summary>
    [GeneratedRegex("^txn_[0-9]{13}_[0-9a-f]{16}$")]
    private static partial Regex MadeId();
}
