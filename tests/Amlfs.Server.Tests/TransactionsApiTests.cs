using Amlfs.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Server.Tests;

/// <summary><c>POST /transactions</c> over a real port: outcomes, idempotency, and bad input.</summary>
public sealed class TransactionsApiTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Now);
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync(_clock);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_batch_reports_each_outcome_in_request_order()
    {
        var (status, body) = await _server.PostJsonAsync("/transactions", Requests.Array(
        [
            Requests.Transaction("T1", "C1", 100m, Now.AddMinutes(-1)),
            Requests.Transaction("T1", "C1", 100m, Now.AddMinutes(-1)),
            Requests.Transaction("T2", "C1", 50m, Now.AddMinutes(-30)),
            Requests.Transaction("T3", "C1", 10m, Now.AddMinutes(5)),
            Requests.Transaction("T4", "C1", -3m, Now),
        ]));

        Assert.Equal(200, status);
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        Assert.Equal(1, body.GetProperty("duplicates").GetInt32());
        Assert.Equal(3, body.GetProperty("rejected").GetInt32());
        var results = body.GetProperty("results").EnumerateArray().Select(r => (r.GetProperty("transaction_id").GetString(), r.GetProperty("status").GetString())).ToArray();
        Assert.Equal([("T1", "accepted"), ("T1", "duplicate"), ("T2", "late"), ("T3", "future_timestamp"), ("T4", "invalid")], results);
        var error = Assert.Single(body.GetProperty("results")[4].GetProperty("errors").EnumerateArray());
        Assert.Equal("amount", error.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Sending_the_same_transaction_again_counts_it_once()
    {
        var first = await _server.PostJsonAsync("/transactions", Requests.Transaction("T1", "C1", 100m, Now.AddSeconds(-5)));
        var again = await _server.PostJsonAsync("/transactions", Requests.Transaction("T1", "C1", 100m, Now.AddSeconds(-5)));
        var (_, features) = await _server.GetJsonAsync("/features/C1");

        Assert.Equal("accepted", first.Body.GetProperty("results")[0].GetProperty("status").GetString());
        Assert.Equal("duplicate", again.Body.GetProperty("results")[0].GetProperty("status").GetString());
        Assert.Equal(1.0, features.GetProperty("features").GetProperty("txn_count_60s").GetDouble());
        Assert.Equal(100.0, features.GetProperty("features").GetProperty("txn_amount_sum_60s").GetDouble());
    }

    [Fact]
    public async Task An_acknowledged_transaction_is_visible_at_once()
    {
        await _server.PostJsonAsync("/transactions", Requests.Transaction("T1", "C1", 10.25m, Now.AddMilliseconds(-1)));

        var (_, features) = await _server.GetJsonAsync("/features/C1");

        Assert.Equal(10.25, features.GetProperty("features").GetProperty("txn_amount_sum_60s").GetDouble());
    }

    [Fact]
    public async Task A_missing_timestamp_is_stamped_with_the_receive_time()
    {
        await _server.PostJsonAsync("/transactions", Requests.Transaction("T1", "C1", 10m));

        var (_, before) = await _server.GetJsonAsync("/features/C1");
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var (_, after) = await _server.GetJsonAsync("/features/C1");

        Assert.Equal(0.0, before.GetProperty("features").GetProperty("txn_count_60s").GetDouble()); // [q - W, q) excludes q
        Assert.Equal(1.0, after.GetProperty("features").GetProperty("txn_count_60s").GetDouble());
    }

    [Fact]
    public async Task A_single_invalid_transaction_answers_400_naming_every_bad_field()
    {
        using var response = await _server.PostAsync("/transactions", """{"transaction_id":"T1","amount":1.234,"ip_address":"999.1.1.1"}""");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        foreach (var field in new[] { "customer_id", "merchant_id", "amount", "ip_address" })
            Assert.Contains($"\"{field}\"", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"transaction_id":"T1","customer_id":"C1","merchant_id":"M1","amount":"ten"}""", "amount")]
    [InlineData("""{"transaction_id":"T1","customer_id":"C1","merchant_id":"M1","amount":10,"timestamp":"yesterday"}""", "timestamp")]
    [InlineData("""{"transaction_id":"T1","customer_id":"C1","merchant_id":"M1","amount":1e400}""", "amount")]
    [InlineData("""{"transaction_id":"T1",""", "body")]
    [InlineData("", "body")]
    [InlineData("null", "body")]
    [InlineData("42", "body")]
    public async Task Malformed_json_answers_400_naming_the_field(string json, string field)
    {
        var (status, body) = await _server.PostJsonAsync("/transactions", json);

        Assert.Equal(400, status);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {body}");
    }

    [Fact]
    public async Task In_an_array_a_field_of_the_wrong_type_makes_its_transaction_invalid_and_the_rest_is_ingested()
    {
        var (status, body) = await _server.PostJsonAsync("/transactions", """
            [{"transaction_id":"T1","customer_id":"C1","merchant_id":"M1","amount":10},
             {"transaction_id":7,"customer_id":"C1","merchant_id":"M1","amount":"ten"}]
            """);

        Assert.Equal(200, status);
        var results = body.GetProperty("results");
        Assert.Equal("accepted", results[0].GetProperty("status").GetString());
        Assert.Equal("invalid", results[1].GetProperty("status").GetString());
        var errors = results[1].GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("field").GetString(), e.GetProperty("message").GetString())).ToArray();
        Assert.Equal([("transaction_id", "must be a string, got a number"), ("amount", "must be a number, got a string")], errors);
    }

    [Fact]
    public async Task A_body_over_the_size_limit_answers_413()
    {
        var huge = Requests.Transaction("T1", "C1", 10m).Replace("\"C1\"", "\"" + new string('x', 2 << 20) + "\"", StringComparison.Ordinal);

        var (status, body) = await _server.PostJsonAsync("/transactions", huge);

        Assert.Equal(413, status);
        Assert.Contains("limit", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_over_the_transaction_limit_answers_413_and_ingests_nothing()
    {
        var batch = Requests.Array(Enumerable.Range(0, 1001).Select(i => Requests.Transaction($"T{i}", "C1", 1m, Now.AddSeconds(-1))));

        var (status, body) = await _server.PostJsonAsync("/transactions", batch);
        var (_, features) = await _server.GetJsonAsync("/features/C1");

        Assert.Equal(413, status);
        Assert.Contains("at most 1000", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(features.GetProperty("known").GetBoolean());
    }

    [Fact]
    public async Task A_full_ingest_queue_answers_429_with_retry_after_and_loses_nothing_accepted()
    {
        await using var server = await RunningServer.StartAsync(_clock, configure: s => s with { IngestQueueCapacity = 1000, MaxBatchTransactions = 1000 });
        var batch = Requests.Array(Enumerable.Range(0, 1000).Select(i => Requests.Transaction($"T{i}", "C1", 1m, Now.AddSeconds(-1))));
        Task<HttpResponseMessage> queued;
        using (server.PauseIngest())
        {
            queued = server.PostAsync("/transactions", batch);
            while (server.PendingIngest == 0)
                await Task.Delay(5);
            using var refused = await server.PostAsync("/transactions", Requests.Transaction("X", "C2", 1m, Now.AddSeconds(-1)));

            Assert.Equal(429, (int)refused.StatusCode);
            Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
        }

        using var accepted = await queued;
        var (_, features) = await server.GetJsonAsync("/features/C1");
        Assert.Equal(200, (int)accepted.StatusCode);
        Assert.Equal(1000.0, features.GetProperty("features").GetProperty("txn_count_60s").GetDouble());
    }
}
