using Amlfs.Registry;
using Amlfs.Storage;
using Amlfs.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Server.Tests;

/// <summary>
/// A model trained on the seed's layout (the customer's and the merchant's features and the amount) keeps scoring
/// when the definitions add entity types (an IP, a device): its inputs are found by name, and the new columns are
/// left to models trained with them.
/// </summary>
public sealed class SeedLayoutModelTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_model_of_the_seed_layout_loads_and_scores_under_definitions_with_ip_and_device_entities()
    {
        using var directory = new TempDirectory();
        new RegistryStore(directory.Path).Apply(DefinitionsLoader.DefaultText(), "features.yaml", Now);
        var model = TestModels.TrainAndActivate(directory.Path, TestModels.SeedInputs);
        await using var server = await RunningServer.StartAsync(new FakeTimeProvider(Now), directory.Path);
        await server.PostJsonAsync("/transactions", Requests.Transaction("T1", "C1", 100m, Now.AddMinutes(-5), ip: "177.20.0.9"));

        var (status, body) = await server.PostJsonAsync("/predict", Requests.Transaction("P1", "C1", 12_500m, ip: "177.20.0.9"));
        var (_, health) = await server.GetJsonAsync("/health");

        Assert.Equal(200, status);
        Assert.Equal(model.Version, body.GetProperty("model_version").GetString());
        var inputs = body.GetProperty("contributions").GetProperty("features").EnumerateArray()
            .ToDictionary(f => f.GetProperty("feature").GetString()!, f => f.GetProperty("value").GetDouble());
        Assert.Equal(TestModels.SeedInputs.Order(StringComparer.Ordinal), inputs.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(12_500.0, inputs["amount"]);
        Assert.Equal(1.0, inputs["txn_count_1h"]);
        Assert.Equal(1.0, body.GetProperty("features_used").GetProperty("ip_unique_accounts_1h").GetDouble());
        Assert.Equal(model.Version, health.GetProperty("components").GetProperty("model").GetProperty("details").GetProperty("version").GetString());
    }
}
