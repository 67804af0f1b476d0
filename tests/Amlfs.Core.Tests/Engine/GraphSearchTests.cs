using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Testing;

namespace Amlfs.Core.Tests.Engine;

/// <summary>The graph aggregations on small transfer graphs whose values can be worked out by hand.</summary>
public sealed class GraphSearchTests
{
    private const long Minute = 60_000;
    private static readonly long T0 = Tx.Utc(2026, 3, 10, 12);

    [Fact]
    public void Money_that_returns_along_later_transfers_is_a_cycle_and_money_that_would_go_back_in_time_is_not()
    {
        using var engine = Engine(
            Tx.Transfer(T0, "A", "B"), Tx.Transfer(T0 + Minute, "B", "C"), Tx.Transfer(T0 + (2 * Minute), "C", "A"),
            Tx.Transfer(T0 + (3 * Minute), "A", "D"), Tx.Transfer(T0 + (4 * Minute), "D", "E"),
            Tx.Transfer(T0 - Minute, "E", "A")); // E paid A before A's money reached E: no cycle
        var features = engine.Features("customer", "A", T0 + (10 * Minute));
        Assert.Equal(1, features["cycle_count_24h"]);
        Assert.Equal(0, engine.Features("customer", "A", T0 + (2 * Minute))["cycle_count_24h"]); // C->A at q is not seen
    }

    [Fact]
    public void A_cycle_longer_than_max_hops_is_not_counted()
    {
        var definitions = WithFeature("""
                  - name: short_cycles
                    aggregation: cycle_count
                    window: 1h
                    max_hops: 3
            """);
        using var engine = Engine(definitions,
            Tx.Transfer(T0, "A", "B"), Tx.Transfer(T0 + 1, "B", "C"), Tx.Transfer(T0 + 2, "C", "D"), Tx.Transfer(T0 + 3, "D", "A"),
            Tx.Transfer(T0 + 10, "A", "X"), Tx.Transfer(T0 + 11, "X", "Y"), Tx.Transfer(T0 + 12, "Y", "A"));
        Assert.Equal(1, engine.Features("customer", "A", T0 + Minute)["short_cycles"]); // the 3-hop one, not the 4-hop one
    }

    [Fact]
    public void A_cycle_search_out_of_visits_counts_only_what_it_proved()
    {
        var definitions = WithFeature("""
                  - name: frugal_cycles
                    aggregation: cycle_count
                    window: 1h
                    max_hops: 4
                    max_visits: 1
            """);
        // Two 3-hop cycles through B and through X; level 2 expands one of C and Y only (the later departure).
        using var engine = Engine(definitions,
            Tx.Transfer(T0, "A", "B"), Tx.Transfer(T0 + 1, "B", "C"), Tx.Transfer(T0 + 2, "C", "A"),
            Tx.Transfer(T0 + 3, "A", "X"), Tx.Transfer(T0 + 4, "X", "Y"), Tx.Transfer(T0 + 5, "Y", "A"));
        Assert.Equal(1, engine.Features("customer", "A", T0 + Minute)["frugal_cycles"]);
        Assert.Equal(2, engine.Features("customer", "A", T0 + Minute)["cycle_count_24h"]);
    }

    [Fact]
    public void Scatter_gather_counts_the_intermediates_that_paid_one_destination_after_being_paid()
    {
        var definitions = WithFeature("""
                  - name: gathered_24h
                    aggregation: scatter_gather
                    window: 24h
                    direction: inflow
            """);
        using var engine = Engine(definitions,
            Tx.Transfer(T0, "S", "M1"), Tx.Transfer(T0, "S", "M2"), Tx.Transfer(T0, "S", "M3"),
            Tx.Transfer(T0 + Minute, "M1", "D"), Tx.Transfer(T0 + Minute, "M2", "D"), Tx.Transfer(T0 + Minute, "M2", "D"),
            Tx.Transfer(T0 - Minute, "M3", "D"), // before S paid M3
            Tx.Transfer(T0 + Minute, "M3", "S")); // back to the source: not a destination
        var q = T0 + (5 * Minute);
        Assert.Equal(2, engine.Features("customer", "S", q)["scatter_gather_24h"]);
        Assert.Equal(2, engine.Features("customer", "D", q)["gathered_24h"]);
    }

    [Fact]
    public void Gather_scatter_is_the_smaller_of_the_payers_and_the_later_payees_of_a_hub()
    {
        using var engine = Engine(
            Tx.Transfer(T0 - Minute, "H", "Early"), // before the first payment in: not counted
            Tx.Transfer(T0, "P1", "H"), Tx.Transfer(T0 + 1, "P2", "H"), Tx.Transfer(T0 + 2, "P3", "H"),
            Tx.Transfer(T0 + 3, "H", "R1"), Tx.Transfer(T0 + 4, "H", "R2"), Tx.Transfer(T0 + 5, "H", "R2"),
            Tx.At(T0 + 6, customer: "H", merchant: "SHOP")); // a payment to a merchant is no transfer
        var features = engine.Features("customer", "H", T0 + Minute);
        Assert.Equal(2, features["gather_scatter_24h"]);
        Assert.Equal(6, features["graph_degree_centrality"]); // Early, P1-3, R1-2; not the merchant
    }

    [Fact]
    public void The_ego_network_gives_the_clustering_coefficient_and_the_ego_betweenness()
    {
        // A deals with B, C and D; B and C deal with each other. Pairs: B-C linked; B-D and C-D not, no common neighbour.
        using var engine = Engine(
            Tx.Transfer(T0, "A", "B"), Tx.Transfer(T0, "C", "A"), Tx.Transfer(T0, "A", "D"), Tx.Transfer(T0 + 1, "B", "C"),
            Tx.Transfer(T0 + 2, "D", "E")); // E is no neighbour of A
        var features = engine.Features("customer", "A", T0 + Minute);
        Assert.Equal(1.0 / 3, features["graph_clustering_coefficient"]);
        Assert.Equal(2, features["graph_betweenness_centrality"]);
    }

    [Fact]
    public void Common_neighbours_share_the_two_paths_in_the_ego_betweenness()
    {
        // Ego A with B, C, D; B-D and C-D linked: B and C are not, and have D in common: 1 / 2.
        using var engine = Engine(
            Tx.Transfer(T0, "A", "B"), Tx.Transfer(T0, "A", "C"), Tx.Transfer(T0, "A", "D"),
            Tx.Transfer(T0 + 1, "B", "D"), Tx.Transfer(T0 + 1, "D", "C"));
        var features = engine.Features("customer", "A", T0 + Minute);
        Assert.Equal(0.5, features["graph_betweenness_centrality"]);
        Assert.Equal(2.0 / 3, features["graph_clustering_coefficient"]);
    }

    [Fact]
    public void Graph_definitions_are_checked_with_the_line_that_declares_them()
    {
        var text = WithFeature("""
                  - name: too_long
                    aggregation: cycle_count
                    window: 24h
                    max_hops: 7
                  - name: summed
                    aggregation: sum
                    window: 1h
                    max_visits: 10
                  - name: tiled
                    aggregation: degree
                    window: 8d
                  - name: scattered_both
                    aggregation: scatter_gather
                    window: 1h
                    direction: both
            """);
        var error = Assert.Throws<DefinitionException>(() => FeaturePlan.Load(text, "graph.yaml"));
        var lines = text.Split('\n');
        int LineOf(string name) => Array.FindIndex(lines, l => l.Contains($"name: {name}", StringComparison.Ordinal)) + 1;
        Assert.Contains($"graph.yaml:{LineOf("too_long")}: too_long.max_hops: must be between 2 and 6 for cycle_count, got 7", error.Message, StringComparison.Ordinal);
        Assert.Contains($"graph.yaml:{LineOf("summed")}: summed.max_visits: only graph aggregations take max_visits", error.Message, StringComparison.Ordinal);
        Assert.Contains($"graph.yaml:{LineOf("tiled")}: tiled.window: an exact window (hop: exact) may be at most 7d, got 8d", error.Message, StringComparison.Ordinal);
        Assert.Contains($"graph.yaml:{LineOf("scattered_both")}: scattered_both.direction:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bound_must_be_a_positive_whole_number()
    {
        var text = WithFeature("""
                  - name: bad_count
                    aggregation: ego_betweenness
                    window: 1h
                    max_neighbours: lots
            """);
        var error = Assert.Throws<DefinitionException>(() => FeaturePlan.Load(text, "graph.yaml"));
        var line = Array.FindIndex(text.Split('\n'), l => l.Contains("max_neighbours: lots", StringComparison.Ordinal)) + 1;
        Assert.Contains($"graph.yaml:{line}: bad_count.max_neighbours: must be a positive whole number, got 'lots'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_graph_aggregation_needs_an_account_with_inflows()
    {
        var text = DefinitionTexts.WithCustomerFeature("""
                  - name: degree_24h
                    aggregation: degree
                    window: 24h

            """).Replace("\n    inflows: true", "", StringComparison.Ordinal); // the default's inflow features are refused too
        var error = Assert.Throws<DefinitionException>(() => FeaturePlan.Load(text, "graph.yaml"));
        Assert.Contains("degree_24h.aggregation: degree searches the transfer graph of accounts: its entity must be joined on customer_id with inflows: true",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expression_cannot_call_a_graph_search()
    {
        var text = DefinitionsLoader.DefaultText().Replace("      - name: cycle_count_24h", """
                  - name: inline_cycles
                    expression: cycle_count(1h) + 1
                  - name: cycle_count_24h
            """, StringComparison.Ordinal);
        var error = Assert.Throws<DefinitionException>(() => FeaturePlan.Load(text, "graph.yaml"));
        Assert.Contains("inline_cycles.expression: cycle_count searches the transfer graph with bounds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_graph_view_docs_graph_md_shows_is_the_defaults()
    {
        var docs = RepositoryFiles.Read("docs/graph.md");
        var section = docs[docs.IndexOf("## Searches over the transfer graph", StringComparison.Ordinal)..];
        var block = section[(section.IndexOf("```yaml", StringComparison.Ordinal) + 7)..section.IndexOf("```\n", StringComparison.Ordinal)];
        var defaults = DefinitionsLoader.DefaultText();
        var view = defaults[defaults.IndexOf("  - name: customer_graph\n", StringComparison.Ordinal)..];
        view = view[..view.IndexOf("\n\n", StringComparison.Ordinal)];
        Assert.Equal(Lines(view[view.IndexOf("features:", StringComparison.Ordinal)..]), Lines(block[block.IndexOf("    features:", StringComparison.Ordinal)..]));
    }

    private static IEnumerable<string> Lines(string yaml) => yaml.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);

    private static string WithFeature(string yaml) =>
        DefinitionsLoader.DefaultText().Replace("  - name: merchant_activity\n", yaml + "\n  - name: merchant_activity\n", StringComparison.Ordinal);

    private static FeatureEngine Engine(params Amlfs.Transactions.Transaction[] transactions) =>
        Engine(DefinitionsLoader.DefaultText(), transactions);

    private static FeatureEngine Engine(string definitions, params Amlfs.Transactions.Transaction[] transactions)
    {
        var engine = TestEngines.Inline(DefinitionsLoader.Parse(definitions, "graph.yaml"),
            configure: o => o with { AllowedLatenessMs = 86_400_000L });
        foreach (var t in transactions.OrderBy(t => t.TimestampMs))
            Assert.Equal(IngestStatus.Accepted, engine.Ingest(t));
        return engine;
    }
}
