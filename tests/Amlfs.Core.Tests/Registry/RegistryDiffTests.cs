using Amlfs.Registry;
using Amlfs.Testing;

namespace Amlfs.Core.Tests.Registry;

public sealed class RegistryDiffTests
{
    private static readonly RegistryDefinition Default = DefinitionsLoader.LoadDefault();

    [Fact]
    public void Identical_definitions_have_an_empty_diff()
    {
        var diff = RegistryDiff.Between(Default, DefinitionsLoader.LoadDefault());

        Assert.True(diff.IsEmpty);
    }

    [Fact]
    public void Comments_and_feature_order_are_not_changes()
    {
        var text = DefinitionTexts.DefaultWith("# Feature definitions", "# Edited feature definitions");
        const string Block = """
                  - name: txn_amount_sum_60s
                    aggregation: sum
                    field: amount
                    window: 60s
                    description: Total amount paid in the last 60 seconds.

            """;
        var reordered = DefinitionTexts.DefaultWith(Block, "");
        reordered = reordered.Insert(reordered.IndexOf("  - name: customer_baseline", StringComparison.Ordinal), Block);

        Assert.True(RegistryDiff.Between(Default, Parse(text)).IsEmpty);
        Assert.True(RegistryDiff.Between(Default, Parse(reordered)).IsEmpty);
        Assert.Equal("txn_amount_sum_60s", Parse(reordered).Views[0].Features[^1].Name);
    }

    [Fact]
    public void An_added_feature_is_listed_with_its_entity()
    {
        var after = Parse(DefinitionTexts.WithCustomerFeature(DefinitionTexts.PeakHoursFeature));

        var change = Assert.Single(RegistryDiff.Between(Default, after).Changes);

        Assert.Equal((ChangeKind.Added, RegistryItemKind.Feature, "peak_hours_txn_count_1h", "customer"),
            (change.Kind, change.Item, change.Name, change.Entity));
        Assert.Empty(change.Properties);
    }

    [Fact]
    public void A_removed_feature_is_listed()
    {
        var after = Parse(DefinitionTexts.DefaultWith("""
                  - name: txn_count_10m
                    aggregation: count
                    window: 10m
                    description: Transactions in the last 10 minutes.

            """, ""));

        var change = Assert.Single(RegistryDiff.Between(Default, after).Changes);

        Assert.Equal((ChangeKind.Removed, RegistryItemKind.Feature, "txn_count_10m", "customer"),
            (change.Kind, change.Item, change.Name, change.Entity));
    }

    [Fact]
    public void A_changed_feature_lists_each_changed_property_old_and_new()
    {
        var after = Parse(DefinitionTexts.DefaultWith("""
                  - name: txn_count_10m
                    aggregation: count
                    window: 10m
                    description: Transactions in the last 10 minutes.
            """, """
                  - name: txn_count_10m
                    aggregation: count
                    window: 24h
                    hop: 10m
                    filter: weekend
                    description: Weekend transactions in the last day.
                    owner: fraud-team
                    tags: [weekend]
            """));

        var change = Assert.Single(RegistryDiff.Between(Default, after).Changes);

        Assert.Equal((ChangeKind.Changed, RegistryItemKind.Feature, "txn_count_10m"), (change.Kind, change.Item, change.Name));
        Assert.Equal(
            [
                new PropertyChange("window", "10m", "24h"),
                new PropertyChange("hop", "", "10m"),
                new PropertyChange("filter", "", "weekend"),
                new PropertyChange("description", "Transactions in the last 10 minutes.", "Weekend transactions in the last day."),
                new PropertyChange("owner", "aml-team", "fraud-team"),
                new PropertyChange("tags", "[aml, velocity]", "[weekend]"),
            ],
            change.Properties);
    }

    [Fact]
    public void Aggregation_and_field_changes_are_listed()
    {
        var after = Parse(DefinitionTexts.DefaultWith("""
                  - name: unique_merchants_1h
                    aggregation: distinct_count
                    field: merchant_id
            """, """
                  - name: unique_merchants_1h
                    aggregation: distinct_count
                    field: device_id
            """).Replace("""
                  - name: max_txn_amount_1h
                    aggregation: max
            """, """
                  - name: max_txn_amount_1h
                    aggregation: min
            """, StringComparison.Ordinal));

        var diff = RegistryDiff.Between(Default, after);

        Assert.Equal([new PropertyChange("field", "merchant_id", "device_id")],
            diff.Find(RegistryItemKind.Feature, "unique_merchants_1h")!.Properties);
        Assert.Equal([new PropertyChange("aggregation", "max", "min")],
            diff.Find(RegistryItemKind.Feature, "max_txn_amount_1h")!.Properties);
    }

    [Fact]
    public void Turning_an_aggregation_into_an_expression_shows_both_sides()
    {
        var after = Parse(DefinitionTexts.DefaultWith("""
                  - name: txn_count_10m
                    aggregation: count
                    window: 10m
            """, """
                  - name: txn_count_10m
                    expression: count(5m) * 2
            """));

        var change = RegistryDiff.Between(Default, after).Find(RegistryItemKind.Feature, "txn_count_10m")!;

        Assert.Equal(
            [
                new PropertyChange("aggregation", "count", ""),
                new PropertyChange("window", "10m", ""),
                new PropertyChange("expression", "", "count(5m) * 2"),
            ],
            change.Properties);
    }

    [Fact]
    public void An_expression_change_is_listed()
    {
        var after = Parse(DefinitionTexts.DefaultWith(
            "expression: count(1h) / max(1, (now - first_time(1h)) / 1m)", "expression: count(1h) / 60"));

        var change = Assert.Single(RegistryDiff.Between(Default, after).Changes);

        Assert.Equal(
            [new PropertyChange("expression", "count(1h) / max(1, (now - first_time(1h)) / 1m)", "count(1h) / 60")],
            change.Properties);
    }

    [Fact]
    public void Settings_changes_are_listed_with_old_and_new_values()
    {
        var after = Parse(DefinitionTexts.DefaultWith("timezone: America/Sao_Paulo", "timezone: Europe/Lisbon")
            .Replace("allowed_lateness: 5m", "allowed_lateness: 10m", StringComparison.Ordinal));

        var diff = RegistryDiff.Between(Default, after);

        Assert.Equal(
            [
                (ChangeKind.Changed, RegistryItemKind.Setting, "timezone"),
                (ChangeKind.Changed, RegistryItemKind.Setting, "source.allowed_lateness"),
            ],
            diff.Changes.Select(c => (c.Kind, c.Item, c.Name)));
        Assert.Equal(new PropertyChange("timezone", "America/Sao_Paulo", "Europe/Lisbon"), Assert.Single(diff.Changes[0].Properties));
        Assert.Equal(new PropertyChange("source.allowed_lateness", "5m", "10m"), Assert.Single(diff.Changes[1].Properties));
    }

    [Fact]
    public void Entities_and_views_added_and_removed_are_listed()
    {
        var merchantViews = Default.Views.Where(v => v.Entity == "merchant").ToList();
        var terminal = new EntityDefinition("terminal", TransactionField.DeviceId, "A payment terminal.");
        var terminalView = new FeatureViewDefinition
        {
            Name = "terminal_activity",
            Entity = "terminal",
            Features = [new FeatureDefinition { Name = "terminal_txn_count_1h", Entity = "terminal", View = "terminal_activity", Kind = FeatureKind.Aggregation, WindowMs = 3_600_000 }],
        };
        var after = Default with
        {
            Entities = [.. Default.Entities.Where(e => e.Name != "merchant"), terminal],
            Views = [.. Default.Views.Where(v => !merchantViews.Contains(v)), terminalView],
        };

        var diff = RegistryDiff.Between(Default, after);

        Assert.Equal(
            [
                (ChangeKind.Removed, RegistryItemKind.Entity, "merchant"),
                (ChangeKind.Added, RegistryItemKind.Entity, "terminal"),
                .. merchantViews.Select(v => (ChangeKind.Removed, RegistryItemKind.View, v.Name)),
                (ChangeKind.Added, RegistryItemKind.View, "terminal_activity"),
                .. merchantViews.SelectMany(v => v.Features).Select(f => (ChangeKind.Removed, RegistryItemKind.Feature, f.Name)),
                (ChangeKind.Added, RegistryItemKind.Feature, "terminal_txn_count_1h"),
            ],
            diff.Changes.Select(c => (c.Kind, c.Item, c.Name)));
        Assert.Contains(("merchant_activity", "merchant_avg_txn_amount_1h"), merchantViews.SelectMany(v => v.Features.Select(f => (v.Name, f.Name))));
    }

    [Fact]
    public void A_view_description_change_is_listed_on_the_view()
    {
        var after = Parse(DefinitionTexts.DefaultWith(
            "description: Who pays a merchant, how much and how often.", "description: Fan-in of a merchant."));

        var change = Assert.Single(RegistryDiff.Between(Default, after).Changes);

        Assert.Equal((RegistryItemKind.View, "merchant_activity", "merchant"), (change.Item, change.Name, change.Entity));
        Assert.Equal([new PropertyChange("description", "Who pays a merchant, how much and how often.", "Fan-in of a merchant.")],
            change.Properties);
    }

    private static RegistryDefinition Parse(string text) => DefinitionsLoader.Parse(text, "test.yaml");
}
