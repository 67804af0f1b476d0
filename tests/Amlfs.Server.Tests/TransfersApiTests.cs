using Amlfs.Storage;
using Amlfs.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Server.Tests;

/// <summary>
/// Transfers between accounts over a real port: a server on a data directory whose active definitions give accounts
/// inflows serves an account's received money and its counterparties next to what it sent.
/// </summary>
public sealed class TransfersApiTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_account_receives_transfers_as_inflows_and_counts_its_counterparties()
    {
        using var directory = new TempDirectory();
        new RegistryStore(directory.Path).Apply(DefinitionTexts.WithInflows(), "features.yaml", Now);
        await using var server = await RunningServer.StartAsync(new FakeTimeProvider(Now), dataDirectory: directory.Path);

        var (status, body) = await server.PostJsonAsync("/transactions", Requests.Array(
        [
            Requests.Transfer("T1", "A1", "MULE", 4_000m, Now.AddMinutes(-40)),
            Requests.Transfer("T2", "A2", "MULE", 3_500m, Now.AddMinutes(-35)),
            Requests.Transaction("T3", "MULE", 7_000m, Now.AddMinutes(-20), "CRYPTO_EXCHANGE"),
            Requests.Transfer("T4", "MULE", "A3", 400m, Now.AddMinutes(-10)),
            Requests.Transaction("T5", "MULE", 10m, Now.AddMinutes(-5), "A3"), // a merchant spelled like the account A3
        ]));
        Assert.Equal(200, status);
        Assert.Equal(5, body.GetProperty("accepted").GetInt32());

        var (_, mule) = await server.GetJsonAsync("/features/MULE");
        var (_, sender) = await server.GetJsonAsync("/features/A1");

        var features = mule.GetProperty("features");
        Assert.Equal(7_500.0, features.GetProperty("inflow_amount_sum_1h").GetDouble());
        Assert.Equal(2.0, features.GetProperty("fan_in_accounts_1h").GetDouble());
        Assert.Equal(3.0, features.GetProperty("fan_out_counterparties_1h").GetDouble());
        Assert.Equal(3.0, features.GetProperty("txn_count_1h").GetDouble()); // outflows only, as before inflows existed
        Assert.Equal(7_410.0, features.GetProperty("txn_amount_sum_1h").GetDouble());
        Assert.Equal(0.0, sender.GetProperty("features").GetProperty("inflow_amount_sum_1h").GetDouble());
        Assert.Equal(1.0, sender.GetProperty("features").GetProperty("txn_count_1h").GetDouble());
    }

    [Fact]
    public async Task An_unknown_destination_type_is_a_problem_naming_the_field()
    {
        await using var server = await RunningServer.StartAsync(new FakeTimeProvider(Now));

        var (status, body) = await server.PostJsonAsync("/transactions",
            Requests.Transfer("T1", "A1", "A2", 10m, Now.AddMinutes(-1)).Replace("\"account\"", "\"bank\"", StringComparison.Ordinal));

        Assert.Equal(400, status);
        Assert.Contains("destination_type", body.GetRawText(), StringComparison.Ordinal);
    }
}
