using Amlfs.Registry;
using Amlfs.Storage;
using Amlfs.Testing;

namespace Amlfs.Cli.Tests;

public sealed class ApplyCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Apply_without_a_file_reads_features_yaml_in_the_working_directory()
    {
        _cli.Write("features.yaml", DefinitionTexts.WithCustomerFeature(DefinitionTexts.PeakHoursFeature));

        var result = _cli.Run("apply");

        Assert.Equal((0, ""), (result.ExitCode, result.Error));
        Assert.Contains($"Applied registry version 1 ({DefinitionTexts.DefaultFeatureCount + 1} features)", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(_cli.PathOf("data/registry/v0001.yaml")));
    }

    [Fact]
    public void Apply_prints_the_added_feature_and_the_new_version()
    {
        var file = _cli.Write("edited.yaml", DefinitionTexts.WithCustomerFeature(DefinitionTexts.PeakHoursFeature));

        var result = _cli.Run("apply", file, "--data-dir", "store");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            [
                "Changes against registry version 0 (the built-in default):",
                "  + feature peak_hours_txn_count_1h (customer): count [local_hours 09-17] over 1h",
                $"Applied registry version 1 ({DefinitionTexts.DefaultFeatureCount + 1} features)",
            ],
            result.OutputLines);
        Assert.Equal("edited.yaml", new RegistryStore(_cli.PathOf("store")).Active.Info!.SourceFile);
    }

    [Fact]
    public void Apply_twice_stores_one_version_and_says_no_changes()
    {
        var file = _cli.Write("features.yaml", DefinitionTexts.WithCustomerFeature(DefinitionTexts.PeakHoursFeature));

        var first = _cli.Run("apply", file);
        _cli.Clock.Advance(TimeSpan.FromMinutes(5));
        var second = _cli.Run("apply", file);

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        Assert.Equal(["No changes: registry version 1 is active"], second.OutputLines);
        var version = Assert.Single(new RegistryStore(_cli.PathOf("data")).Versions);
        Assert.Equal(CliHarness.Start, version.AppliedAt);
    }

    [Fact]
    public void Applying_the_default_file_to_an_empty_registry_changes_nothing()
    {
        _cli.Write("features.yaml", DefinitionsLoader.DefaultText());

        var result = _cli.Run("apply");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["No changes: registry version 0 is active (the built-in default)"], result.OutputLines);
        Assert.False(Directory.Exists(_cli.PathOf("data")));
    }

    [Fact]
    public void Apply_prints_changed_properties_old_and_new()
    {
        var edited = DefinitionTexts.DefaultWith("timezone: America/Sao_Paulo", "timezone: Europe/Lisbon")
            .Replace("""
                      - name: txn_count_10m
                        aggregation: count
                        window: 10m
                """, """
                      - name: txn_count_10m
                        aggregation: count
                        window: 24h
                        hop: 10m
                """, StringComparison.Ordinal)
            .Replace("""
                      - name: txn_count_5m
                        aggregation: count
                        window: 5m
                        description: Transactions in the last 5 minutes.

                """, "", StringComparison.Ordinal);
        var file = _cli.Write("features.yaml", edited);

        var result = _cli.Run("apply", file);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            [
                "Changes against registry version 0 (the built-in default):",
                "  ~ setting timezone: America/Sao_Paulo -> Europe/Lisbon",
                "  - feature txn_count_5m (customer)",
                "  ~ feature txn_count_10m (customer)",
                "      window: 10m -> 24h",
                "      hop: (none) -> 10m",
                $"Applied registry version 1 ({DefinitionTexts.DefaultFeatureCount - 1} features)",
            ],
            result.OutputLines);
    }

    [Fact]
    public void Apply_diffs_against_the_active_version_not_the_default()
    {
        _cli.Write("features.yaml", DefinitionTexts.WithCustomerFeature(DefinitionTexts.PeakHoursFeature));
        _cli.Run("apply");
        _cli.Write("features.yaml", DefinitionsLoader.DefaultText());

        var result = _cli.Run("apply");

        Assert.Equal(
            [
                "Changes against registry version 1:",
                "  - feature peak_hours_txn_count_1h (customer)",
                $"Applied registry version 2 ({DefinitionTexts.DefaultFeatureCount} features)",
            ],
            result.OutputLines);
    }

    [Fact]
    public void Invalid_definitions_print_every_error_to_stderr_and_exit_1()
    {
        var bad = DefinitionTexts.WithCustomerFeature("""
                  - name: broken_count_1h
                    aggregation: median
                    window: 1 hour
                    filter: lunchtime
                    colour: red

            """);
        var file = _cli.Write("bad.yaml", bad);
        var line = bad[..bad.IndexOf("- name: broken_count_1h", StringComparison.Ordinal)].Count(c => c == '\n') + 1;

        var result = _cli.Run("apply", file);

        Assert.Equal((1, ""), (result.ExitCode, result.Output));
        Assert.Equal(
            [
                $"bad.yaml:{line + 1}: broken_count_1h.aggregation: unknown aggregation 'median' (one of: {AggregationNames.List})",
                $"bad.yaml:{line + 2}: broken_count_1h.window: must be a duration such as 500ms, 60s, 5m, 1h or 7d, got '1 hour'",
                $"bad.yaml:{line + 3}: broken_count_1h.filter: must be night, weekend, {{local_hours: \"09-17\"}}, {{amount: {{min: 9000, max: 10000}}}} or {{multiple_of: 100}}",
                $"bad.yaml:{line + 4}: broken_count_1h.colour: unknown key (known: name, aggregation, field, window, hop, lookback, threshold_sd, filter, direction, max_hops, max_visits, max_neighbours, expression, description, owner, tags)",
                "amlfs apply: 4 errors; nothing was applied",
            ],
            result.ErrorLines);
        Assert.False(Directory.Exists(_cli.PathOf("data")));
    }

    [Fact]
    public void Errors_found_while_compiling_name_the_file_line_and_field()
    {
        var file = _cli.Write("features.yaml", DefinitionTexts.WithCustomerFeature("""
                  - name: unique_ips_day
                    aggregation: distinct_count
                    field: ip_address
                    window: 24h
                  - name: ratio
                    expression: txn_count_1h / missing_feature

            """));

        var result = _cli.Run("apply", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Collection(result.ErrorLines,
            e => Assert.Matches(@"^features\.yaml:\d+: unique_ips_day\.window: distinct_count is exact", e),
            e => Assert.Matches(@"^features\.yaml:\d+: ratio\.expression: unknown feature 'missing_feature'", e),
            e => Assert.Equal("amlfs apply: 2 errors; nothing was applied", e));
    }

    [Fact]
    public void A_missing_file_is_a_clear_error()
    {
        var result = _cli.Run("apply", "nowhere.yaml");

        Assert.Equal((1, ""), (result.ExitCode, result.Output));
        Assert.Equal(["amlfs apply: cannot read nowhere.yaml: no such file"], result.ErrorLines);
    }

    [Fact]
    public void A_missing_default_file_is_a_clear_error()
    {
        var result = _cli.Run("apply");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["amlfs apply: cannot read features.yaml: no such file"], result.ErrorLines);
    }

    [Fact]
    public void A_damaged_registry_is_reported_and_exits_1()
    {
        Directory.CreateDirectory(_cli.PathOf("data/registry"));
        _cli.Write("data/registry/index.json", "[broken");
        var file = _cli.Write("features.yaml", DefinitionTexts.WithCustomerFeature(DefinitionTexts.PeakHoursFeature));

        var result = _cli.Run("apply", file);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("amlfs apply: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("index.json", result.Error, StringComparison.Ordinal);
    }
}
