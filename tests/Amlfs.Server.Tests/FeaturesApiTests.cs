using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Server.Tests;

/// <summary><c>GET /features/...</c> and <c>GET /registry/features</c> over a real port.</summary>
public sealed class FeaturesApiTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Now);
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(_clock);
        var (status, _) = await _server.PostJsonAsync("/transactions", Requests.Array(
        [
            Requests.Transaction("T1", "C1", 100m, Now.AddMinutes(-90), "M1"),
            Requests.Transaction("T2", "C1", 50m, Now.AddMinutes(-30), "M1"),
            Requests.Transaction("T3", "C2", 7m, Now.AddMinutes(-1), "M1"),
        ]));
        Assert.Equal(200, status);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Customer_features_are_read_as_of_now()
    {
        var (status, body) = await _server.GetJsonAsync("/features/C1");

        Assert.Equal(200, status);
        Assert.Equal(("customer", "C1", true, 0), (body.GetProperty("entity").GetString(), body.GetProperty("entity_id").GetString(),
            body.GetProperty("known").GetBoolean(), body.GetProperty("registry_version").GetInt32()));
        Assert.Equal("2026-03-10T15:00:00.000Z", body.GetProperty("as_of").GetString());
        var features = body.GetProperty("features");
        Assert.Equal(FeaturePlan.Compile(DefinitionsLoader.LoadDefault()).Entity("customer")!.Features.Count, features.EnumerateObject().Count());
        Assert.Equal(1.0, features.GetProperty("txn_count_1h").GetDouble());
        Assert.Equal(50.0, features.GetProperty("txn_amount_sum_1h").GetDouble());
    }

    [Fact]
    public async Task Features_as_of_an_earlier_instant_see_only_what_came_before_it()
    {
        var (status, body) = await _server.GetJsonAsync("/features/C1?at=2026-03-10T13:45:00Z");

        Assert.Equal(200, status);
        Assert.Equal(1.0, body.GetProperty("features").GetProperty("txn_count_1h").GetDouble());
        Assert.Equal(100.0, body.GetProperty("features").GetProperty("txn_amount_sum_1h").GetDouble());
    }

    [Fact]
    public async Task Merchant_features_count_every_customer()
    {
        var (status, body) = await _server.GetJsonAsync("/features/merchant/M1");

        Assert.Equal(200, status);
        Assert.Equal("merchant", body.GetProperty("entity").GetString());
        Assert.Equal(2.0, body.GetProperty("features").GetProperty("merchant_txn_count_1h").GetDouble());
        Assert.Equal(2.0, body.GetProperty("features").GetProperty("merchant_unique_customers_1h").GetDouble());
    }

    [Fact]
    public async Task An_unknown_entity_reads_as_one_without_events_and_says_so()
    {
        var (status, body) = await _server.GetJsonAsync("/features/NOBODY");

        Assert.Equal(200, status);
        Assert.False(body.GetProperty("known").GetBoolean());
        Assert.All(body.GetProperty("features").EnumerateObject(), f => Assert.Equal(DefinitionTexts.QuietValue(f.Name), f.Value.GetDouble()));
    }

    [Theory]
    [InlineData("/features/C1?at=yesterday", "must be an ISO-8601 instant such as 2026-03-10T14:05:00.000Z, got 'yesterday'")]
    [InlineData("/features/C1?at=2026-03-09T14:00:00Z", "older than the retained history")]
    [InlineData("/features/merchant/M1?at=2026-03-10T15:05:00Z", "in the future")]
    public async Task An_unusable_as_of_time_answers_400_naming_at(string path, string reason)
    {
        var (status, body) = await _server.GetJsonAsync(path);

        Assert.Equal(400, status);
        Assert.Contains(reason, body.GetProperty("errors").GetProperty("at")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_registry_lists_the_active_definitions()
    {
        var (status, body) = await _server.GetJsonAsync("/registry/features");

        Assert.Equal(200, status);
        Assert.Equal(0, body.GetProperty("version").GetInt32());
        Assert.Equal("America/Sao_Paulo", body.GetProperty("timezone").GetString());
        var features = body.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(DefinitionTexts.DefaultFeatureCount, features.Count);
        var night = features.Single(f => f.GetProperty("name").GetString() == "night_txn_count_24h");
        Assert.Equal(("aggregation", "count", "24h", "5m"), (night.GetProperty("kind").GetString(), night.GetProperty("aggregation").GetString(),
            night.GetProperty("window").GetString(), night.GetProperty("hop").GetString()));
        Assert.Contains(features, f => f.GetProperty("kind").GetString() == "request");
    }
}
