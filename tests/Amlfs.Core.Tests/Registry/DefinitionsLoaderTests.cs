using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Testing;

namespace Amlfs.Core.Tests.Registry;

/// <summary>
/// The validation of a definitions file: what the registry's reader checks, and what compiling the definitions for
/// the engine checks (<see cref="FeaturePlan.Load"/>), every error with its line.
/// </summary>
public sealed class DefinitionsLoaderTests
{
    private const string File = "test.yaml";

    // Line 10 is the feature's "- name:" line, 11 its aggregation, 12 its window; appended text starts on line 13.
    private const string Minimal = """
        project: test
        timezone: America/Sao_Paulo
        entities:
          - name: customer
            join_key: customer_id
        feature_views:
          - name: customer_activity
            entity: customer
            features:
              - name: txn_count_1h
                aggregation: count
                window: 1h

        """;

    private static readonly string[] SeedCustomerFeatures =
    [
        "txn_amount_sum_60s", "txn_amount_sum_5m", "txn_amount_sum_1h", "txn_count_60s", "txn_count_5m", "txn_count_10m",
        "txn_count_1h", "unique_ips_1h", "unique_merchants_1h", "velocity_score_1h", "amount_deviation_score_1h",
        "night_txn_count_24h", "weekend_txn_count_7d", "avg_txn_amount_1h", "max_txn_amount_1h",
    ];

    private static readonly string[] SeedMerchantFeatures =
        ["merchant_txn_count_1h", "merchant_txn_amount_sum_1h", "merchant_unique_customers_1h", "merchant_avg_txn_amount_1h"];

    [Fact]
    public void The_default_file_declares_the_seed_features_in_its_first_views_and_at_least_90_features_in_all()
    {
        var definition = DefinitionsLoader.LoadDefault();

        Assert.InRange(definition.AllFeatures.Count(), 90, int.MaxValue);
        Assert.Equal(SeedCustomerFeatures, definition.Views.Single(v => v.Name == "customer_activity").Features.Select(f => f.Name));
        Assert.Equal(SeedMerchantFeatures, definition.Views.Single(v => v.Name == "merchant_activity").Features.Select(f => f.Name));
        Assert.Equal(["txn_count_60s_with_current", "txn_amount_sum_60s_with_current"], definition.RequestFeatures.Take(2).Select(f => f.Name));
        Assert.All(definition.AllFeatures, f => Assert.False(string.IsNullOrWhiteSpace(f.Description), f.Name));
        Assert.All(definition.Views, v => Assert.False(string.IsNullOrWhiteSpace(v.Family), v.Name));
        Assert.Equal("America/Sao_Paulo", definition.TimeZoneId);
    }

    [Fact]
    public void The_default_file_reads_windows_hops_fields_and_filters()
    {
        var features = DefinitionsLoader.LoadDefault().AllFeatures.ToDictionary(f => f.Name);

        Assert.Equal((AggregationKind.DistinctCount, TransactionField.IpAddress, 3_600_000L, 0L),
            (features["unique_ips_1h"].Aggregation, features["unique_ips_1h"].Field, features["unique_ips_1h"].WindowMs, features["unique_ips_1h"].HopMs));
        Assert.Equal((86_400_000L, 300_000L, FeatureFilter.Night),
            (features["night_txn_count_24h"].WindowMs, features["night_txn_count_24h"].HopMs, features["night_txn_count_24h"].Filter));
        Assert.Equal(FeatureKind.Derived, features["velocity_score_1h"].Kind);
        Assert.Equal(TransactionField.Amount, features["txn_amount_sum_1h"].Field);
    }

    [Fact]
    public void A_minimal_file_loads()
    {
        var definition = DefinitionsLoader.Parse(Minimal, File);

        Assert.Equal("txn_count_1h", Assert.Single(definition.AllFeatures).Name);
    }

    [Fact]
    public void An_unknown_key_names_the_key_and_its_line()
    {
        var error = SingleError(Minimal.Replace("        window: 1h\n", "        window: 1h\n        colour: red\n", StringComparison.Ordinal));

        Assert.Equal((File, 13, "txn_count_1h.colour"), (error.File, error.Line, error.Field));
        Assert.Contains("unknown key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_top_level_key_is_reported()
    {
        var error = SingleError("owner: nobody\n" + Minimal);

        Assert.Equal((1, "owner"), (error.Line, error.Field));
        Assert.Contains("unknown key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_aggregation_is_reported_with_the_known_ones()
    {
        var error = SingleError(Minimal.Replace("aggregation: count", "aggregation: median", StringComparison.Ordinal));

        Assert.Equal((11, "txn_count_1h.aggregation"), (error.Line, error.Field));
        Assert.Contains("unknown aggregation 'median'", error.Message, StringComparison.Ordinal);
        Assert.Contains("distinct_count", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1 hour")]
    [InlineData("1w")]
    [InlineData("h")]
    [InlineData("0s")]
    [InlineData("-5m")]
    public void A_bad_window_text_is_reported(string window)
    {
        var error = SingleError(Minimal.Replace("window: 1h", $"window: {window}", StringComparison.Ordinal));

        Assert.Equal((12, "txn_count_1h.window"), (error.Line, error.Field));
        Assert.Contains("must be a duration", error.Message, StringComparison.Ordinal);
        Assert.Contains(window, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_window_longer_than_thirty_days_or_an_exact_one_longer_than_seven_is_reported()
    {
        var tooLong = SingleError(Minimal.Replace("window: 1h", "window: 31d", StringComparison.Ordinal));
        var exact = SingleError(Minimal.Replace("window: 1h", "window: 8d\n        hop: exact", StringComparison.Ordinal));

        Assert.Equal(("txn_count_1h.window", "txn_count_1h.window"), (tooLong.Field, exact.Field));
        Assert.Contains("at most 30d", tooLong.Message, StringComparison.Ordinal);
        Assert.Contains("exact window (hop: exact) may be at most 7d", exact.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_distinct_count_over_24h_is_reported_as_exact_up_to_one_hour()
    {
        var error = SingleError(Minimal.Replace(
            "aggregation: count\n        window: 1h", "aggregation: distinct_count\n        field: ip_address\n        window: 24h",
            StringComparison.Ordinal));

        Assert.Equal((File, 10, "txn_count_1h.window"), (error.File, error.Line, error.Field));
        Assert.Contains("distinct_count is exact", error.Message, StringComparison.Ordinal);
        Assert.Contains("up to 7d with hop: exact", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_entity_is_reported_with_the_declared_ones()
    {
        var error = SingleError(Minimal.Replace("    entity: customer", "    entity: account", StringComparison.Ordinal));

        Assert.Equal((8, "feature_views[0].entity"), (error.Line, error.Field));
        Assert.Contains("unknown entity 'account'", error.Message, StringComparison.Ordinal);
        Assert.Contains("customer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_feature_name_is_reported_at_the_second_declaration()
    {
        var error = SingleError(Minimal + """
                  - name: txn_count_1h
                    aggregation: count
                    window: 5m

            """);

        Assert.Equal(13, error.Line);
        Assert.EndsWith(".name", error.Field, StringComparison.Ordinal);
        Assert.Contains("'txn_count_1h' is declared twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expression_referring_to_an_unknown_feature_is_reported()
    {
        var error = SingleError(Minimal + Derived("ratio", "txn_count_1h / txn_count_2h"));

        Assert.Equal((13, "ratio.expression"), (error.Line, error.Field));
        Assert.Contains("unknown feature 'txn_count_2h'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expression_syntax_error_is_reported()
    {
        var error = SingleError(Minimal + Derived("ratio", "txn_count_1h / (2 +"));

        Assert.Equal((13, "ratio.expression"), (error.Line, error.Field));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void A_cycle_between_derived_features_is_reported()
    {
        var errors = Errors(Minimal + Derived("a_score", "b_score + 1") + Derived("b_score", "a_score * 2"));

        var error = Assert.Single(errors);
        Assert.EndsWith(".expression", error.Field, StringComparison.Ordinal);
        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
        Assert.Contains(error.Line, new[] { 13, 15 });
    }

    [Theory]
    [InlineData("lunchtime", "txn_count_1h.filter")]
    [InlineData("{local_hours: \"9-25\"}", "txn_count_1h.filter.local_hours")]
    [InlineData("{local_hours: \"09-09\"}", "txn_count_1h.filter.local_hours")]
    [InlineData("{amount: {min: 100, max: 10}}", "txn_count_1h.filter.amount")]
    [InlineData("{colour: red}", "txn_count_1h.filter")]
    public void A_bad_filter_is_reported(string filter, string field)
    {
        var error = SingleError(Minimal.Replace("window: 1h\n", $"window: 1h\n        filter: {filter}\n", StringComparison.Ordinal));

        Assert.Equal((13, field), (error.Line, error.Field));
    }

    [Fact]
    public void Several_errors_are_reported_at_once_in_file_order()
    {
        var text = Minimal
            .Replace("aggregation: count", "aggregation: median", StringComparison.Ordinal)
            + """
                  - name: night_count_1h
                    aggregation: count
                    window: 1 hour
                    filter: lunchtime
                    colour: red
                  - name: txn_count_1h
                    aggregation: count
                    window: 5m

            """;

        var errors = Errors(text);

        Assert.Equal(
            ["txn_count_1h.aggregation", "night_count_1h.window", "night_count_1h.filter", "night_count_1h.colour", "feature_views[0].features[2].name"],
            errors.Select(e => e.Field));
        Assert.Equal([11, 15, 16, 17, 18], errors.Select(e => e.Line));
    }

    [Fact]
    public void Errors_print_as_file_line_field_reason()
    {
        var error = SingleError(Minimal.Replace("aggregation: count", "aggregation: median", StringComparison.Ordinal));

        Assert.StartsWith("test.yaml:11: txn_count_1h.aggregation: unknown aggregation 'median'", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_time_zone_names_the_timezone_line()
    {
        var error = SingleError(Minimal.Replace("America/Sao_Paulo", "Mars/Olympus_Mons", StringComparison.Ordinal));

        Assert.Equal((2, "timezone"), (error.Line, error.Field));
        Assert.Contains("Mars/Olympus_Mons", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_that_is_not_yaml_is_reported_with_its_line()
    {
        var error = SingleError("project: test\nentities: [unclosed\n");

        Assert.Equal("yaml", error.Field);
        Assert.True(error.Line > 0);
    }

    [Theory]
    [InlineData("project: [x\ntimezone: UTC\n")]
    [InlineData("project: test\nsource: {allowed_lateness: 5m\n")]
    public void An_unclosed_flow_collection_is_reported_as_yaml_with_a_line(string text)
    {
        var error = SingleError(text);

        Assert.Equal("yaml", error.Field);
        Assert.InRange(error.Line, 1, 3);
    }

    [Fact]
    public void The_acceptance_feature_loads_with_its_local_hours_filter()
    {
        var definition = DefinitionsLoader.Parse(DefinitionTexts.WithCustomerFeature(DefinitionTexts.PeakHoursFeature), File);

        var feature = Assert.Single(definition.AllFeatures, f => f.Name == "peak_hours_txn_count_1h");
        Assert.Equal(("customer", AggregationKind.Count, 3_600_000L, FeatureFilter.LocalHours(9, 17)),
            (feature.Entity, feature.Aggregation, feature.WindowMs, feature.Filter));
        Assert.Equal(DefinitionTexts.DefaultFeatureCount + 1, definition.AllFeatures.Count());
    }

    [Fact]
    public void The_registry_reads_what_only_the_engine_can_refuse_and_compiling_refuses_it_with_its_line()
    {
        var text = Minimal + Derived("uses_unknown", "no_such_feature * 2");

        var read = DefinitionsLoader.Parse(text, File);
        var error = Assert.Single(Assert.Throws<DefinitionException>(() => FeaturePlan.Compile(read, File)).Errors);

        Assert.Contains(read.StoredFeatures, f => f.Name == "uses_unknown");
        Assert.Equal(("uses_unknown.expression", 13), (error.Field, error.Line));
    }

    [Fact]
    public void The_default_definitions_compile()
    {
        var plan = FeaturePlan.Load(DefinitionsLoader.DefaultText(), DefinitionsLoader.DefaultFileName);

        Assert.Equal(["customer", "merchant", "ip", "device"], plan.Entities.Select(e => e.Name));
        Assert.True(plan.Entity("customer")!.ReadsNeighbours);
    }

    [Fact]
    public void An_account_with_inflows_counts_them_by_direction_and_its_counterparties()
    {
        var text = Minimal.Replace("join_key: customer_id", "join_key: customer_id\n    inflows: true", StringComparison.Ordinal) + """
              - name: inflow_sum_24h
                aggregation: sum
                window: 24h
                direction: inflow
              - name: fan_in_1h
                aggregation: distinct_count
                field: counterparty_id
                window: 1h
                direction: inflow

        """;

        var plan = FeaturePlan.Load(text, File);

        var customer = plan.Entity("customer")!;
        Assert.True(customer.Definition.Inflows);
        var fanIn = customer.Features[customer.IndexOf("fan_in_1h")];
        Assert.Equal((EdgeDirection.Inflow, TransactionField.CounterpartyId), (fanIn.Filter.Direction, fanIn.Field));
        Assert.Equal(EdgeDirection.Outflow, customer.Features[customer.IndexOf("txn_count_1h")].Filter.Direction);
        Assert.Equal("inflow", FeatureDescription.Of(fanIn).Direction);
    }

    [Fact]
    public void Inflows_directions_and_counterparties_where_they_mean_nothing_are_refused_with_their_lines()
    {
        var text = """
            project: test
            timezone: America/Sao_Paulo
            entities:
              - name: customer
                join_key: customer_id
              - name: ip
                join_key: ip_address
                inflows: maybe
              - name: device
                join_key: device_id
                inflows: true
            feature_views:
              - name: customer_activity
                entity: customer
                features:
                  - name: inflow_count_1h
                    aggregation: count
                    window: 1h
                    direction: inflow
                  - name: sideways_count_1h
                    aggregation: count
                    window: 1h
                    direction: sideways
              - name: ip_activity
                entity: ip
                features:
                  - name: ip_counterparties_1h
                    aggregation: distinct_count
                    field: counterparty_id
                    window: 1h

            """;

        var errors = Errors(text);

        Assert.Equal(
            [
                ("ip.inflows", 8, "must be true or false, got 'maybe'"),
                ("device.inflows", 11, "only an entity joined on customer_id (an account) receives transfers as inflows"),
                ("sideways_count_1h.direction", 23, "must be one of: outflow, inflow, both, got 'sideways'"),
            ],
            errors.Where(e => e.Field.EndsWith("inflows", StringComparison.Ordinal) || e.Field == "sideways_count_1h.direction")
                .Select(e => (e.Field.Replace("entities[1].", "ip.", StringComparison.Ordinal).Replace("entities[2].", "device.", StringComparison.Ordinal), e.Line, e.Message)));
    }

    [Fact]
    public void Counting_inflows_of_an_entity_without_them_or_counterparties_of_an_ip_is_refused_when_compiled()
    {
        var text = Minimal + """
              - name: inflow_count_1h
                aggregation: count
                window: 1h
                direction: inflow
          - name: ip_activity
            entity: ip
            features:
              - name: ip_counterparties_1h
                aggregation: distinct_count
                field: counterparty_id
                window: 1h

        """;
        text = text.Replace("feature_views:", "  - name: ip\n    join_key: ip_address\nfeature_views:", StringComparison.Ordinal);

        var errors = Errors(text);

        Assert.Equal(
            [
                ("inflow_count_1h.direction", "entity 'customer' receives no inflows: declare it with inflows: true (joined on customer_id)"),
                ("ip_counterparties_1h.field", "counterparty_id is defined for entities at an end of the edge: joined on customer_id or merchant_id"),
            ],
            errors.Select(e => (e.Field, e.Message)));
    }

    private static string Derived(string name, string expression) => $"""
              - name: {name}
                expression: {expression}

        """;

    /// <summary>The whole validation of a definitions file: read by the registry, then compiled by the engine.</summary>
    private static IReadOnlyList<DefinitionError> Errors(string text) =>
        Assert.Throws<DefinitionException>(() => FeaturePlan.Load(text, File)).Errors;

    private static DefinitionError SingleError(string text) => Assert.Single(Errors(text));
}
