using System.Text.Json;
using Amlfs.Registry;
using Amlfs.Testing;

namespace Amlfs.Cli.Tests;

public sealed class FeaturesCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void List_prints_the_built_in_features_as_version_0()
    {
        var result = _cli.Run("features", "list");

        Assert.Equal((0, ""), (result.ExitCode, result.Error));
        Assert.Equal($"Registry version 0 (the built-in default): {DefinitionTexts.DefaultFeatureCount} features", result.OutputLines[0]);
        Assert.Equal(["name", "entity", "family", "aggregation", "window", "description"], Cells(result.OutputLines[2]));
        Assert.Equal(DefinitionTexts.DefaultFeatureCount, Rows(result).Count);
    }

    [Theory]
    [InlineData("txn_count_60s", "customer", "velocity", "count", "60s")]
    [InlineData("txn_amount_sum_1h", "customer", "velocity", "sum(amount)", "1h")]
    [InlineData("unique_ips_1h", "customer", "velocity", "distinct_count(ip_address)", "1h")]
    [InlineData("amount_deviation_score_1h", "customer", "velocity", "stddev(amount)", "1h")]
    [InlineData("velocity_score_1h", "customer", "velocity", "expression", "")]
    [InlineData("night_txn_count_24h", "customer", "velocity", "count [night]", "24h / 5m hop")]
    [InlineData("weekend_txn_count_7d", "customer", "velocity", "count [weekend]", "7d / 1h hop")]
    [InlineData("merchant_unique_customers_1h", "merchant", "destination", "distinct_count(customer_id)", "1h")]
    [InlineData("cycle_count_7d", "customer", "graph", "cycle_count (max_hops 4, max_visits 500)", "7d")]
    [InlineData("gathered_from_24h", "customer", "graph", "scatter_gather inflow (max_visits 200)", "24h")]
    [InlineData("graph_degree_centrality", "customer", "graph", "degree both", "24h")]
    [InlineData("ip_unique_accounts_24h", "ip", "shared", "distinct_count(customer_id)", "24h")]
    public void List_shows_family_aggregation_and_window_of_each_feature(string name, string entity, string family, string aggregation, string window)
    {
        var row = Rows(_cli.Run("features", "list"))[name];

        Assert.Equal([name, entity, family, aggregation, window], row[..5]);
        Assert.NotEmpty(row[5]);
    }

    [Fact]
    public void List_filters_by_entity()
    {
        var result = _cli.Run("features", "list", "--entity", "merchant");

        Assert.Equal(0, result.ExitCode);
        var merchant = DefinitionsLoader.LoadDefault().AllFeatures.Where(f => f.Entity == "merchant").Select(f => f.Name).ToList();
        Assert.Equal($"Registry version 0 (the built-in default): {merchant.Count} merchant features", result.OutputLines[0]);
        Assert.Equal(merchant, Names(result));
        Assert.Equal(
            ["merchant_txn_count_1h", "merchant_txn_amount_sum_1h", "merchant_unique_customers_1h", "merchant_avg_txn_amount_1h"],
            merchant.Take(4));
    }

    [Fact]
    public void An_unknown_entity_is_an_error()
    {
        var result = _cli.Run("features", "list", "--entity", "account");

        Assert.Equal((1, ""), (result.ExitCode, result.Output));
        Assert.Equal(["amlfs features list: unknown entity 'account' (declared: customer, merchant, ip, device)"], result.ErrorLines);
    }

    [Fact]
    public void List_shows_the_applied_version_and_its_origin()
    {
        _cli.Write("features.yaml", DefinitionTexts.WithCustomerFeature(DefinitionTexts.PeakHoursFeature));
        _cli.Run("apply", "--data-dir", "store");

        var result = _cli.Run("features", "list", "--data-dir", "store");

        Assert.Equal($"Registry version 1 (applied 2025-03-14 12:00:00Z from features.yaml): {DefinitionTexts.DefaultFeatureCount + 1} features", result.OutputLines[0]);
        Assert.Equal(["peak_hours_txn_count_1h", "customer", "temporal", "count [local_hours 09-17]", "1h"], Rows(result)["peak_hours_txn_count_1h"][..5]);
    }

    [Fact]
    public void Redirected_output_is_plain_ascii_one_line_per_feature()
    {
        var result = _cli.Run("features", "list");

        Assert.DoesNotContain('\u001b', result.Output);
        Assert.All(result.Output, c => Assert.True(c < 128, $"non-ASCII character U+{(int)c:X4}"));
        // Header line, three border lines and the column header line, then one line per feature.
        Assert.Equal(1 + 4 + DefinitionTexts.DefaultFeatureCount, result.OutputLines.Length);
    }

    [Fact]
    public void List_as_json_is_machine_readable()
    {
        var result = _cli.Run("features", "list", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(0, json.RootElement.GetProperty("version").GetInt32());
        var features = json.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(DefinitionTexts.DefaultFeatureCount, features.Count);
        var night = features.Single(f => f.GetProperty("name").GetString() == "night_txn_count_24h");
        Assert.Equal(
            ("customer", "aggregation", "count", "24h", "5m", "night"),
            (night.GetProperty("entity").GetString(), night.GetProperty("kind").GetString(), night.GetProperty("aggregation").GetString(),
                night.GetProperty("window").GetString(), night.GetProperty("hop").GetString(), night.GetProperty("filter").GetString()));
        var velocity = features.Single(f => f.GetProperty("name").GetString() == "velocity_score_1h");
        Assert.Equal("derived", velocity.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, velocity.GetProperty("window").ValueKind);
        Assert.StartsWith("count(1h)", velocity.GetProperty("expression").GetString(), StringComparison.Ordinal);
        Assert.Equal(["aml", "velocity"], velocity.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("velocity", velocity.GetProperty("family").GetString());
        // A graph search's bounds, the definition's or the defaults, and no bound where the kind takes none.
        var cycles = features.Single(f => f.GetProperty("name").GetString() == "cycle_count_7d");
        Assert.Equal((4, 500), (cycles.GetProperty("max_hops").GetInt32(), cycles.GetProperty("max_visits").GetInt32()));
        Assert.False(cycles.TryGetProperty("max_neighbours", out _));
        Assert.False(night.TryGetProperty("max_hops", out _));
    }

    [Fact]
    public void An_unknown_format_is_rejected()
    {
        var result = _cli.Run("features", "list", "--format", "xml");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("xml", result.Error, StringComparison.Ordinal);
    }

    /// <summary>The table's feature rows by name: the cells of each line between the header and the bottom border.</summary>
    private static Dictionary<string, string[]> Rows(CliResult result) =>
        result.OutputLines.Skip(4).Where(l => l.StartsWith('|')).Select(Cells).ToDictionary(c => c[0]);

    private static IEnumerable<string> Names(CliResult result) =>
        result.OutputLines.Skip(4).Where(l => l.StartsWith('|')).Select(l => Cells(l)[0]);

    private static string[] Cells(string line) =>
        line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
}
