using System.Globalization;
using Amlfs.Engine;
using Amlfs.Registry.Expressions;
using Amlfs.Scoring;
using Amlfs.Testing;

namespace Amlfs.Core.Tests.Engine;

public sealed class EntitySelectionTests
{
    private static readonly long Start = Tx.Utc(2026, 3, 10, 15);
    private static readonly long Hours = 20 * 3_600_000L;

    /// <summary>The features the default rules model reads.</summary>
    private static readonly string[] RulesFeatures =
        [.. RulesModelConfig.LoadDefault().Weights.Select(w => w.Feature), "unique_ips_1h", "velocity_score_1h", "amount_deviation_score_1h", "night_txn_count_24h"];

    [Fact]
    public void A_selected_value_has_the_bits_of_a_full_evaluation_and_every_other_value_is_not_evaluated()
    {
        using var engine = Busy();
        var customer = engine.Plan.Entity("customer")!;
        var selection = EntitySelection.Of(customer, RulesFeatures);
        var compared = 0;

        foreach (var (id, q) in Reads())
        {
            var scope = new ExpressionScope(q, 250.0, FeatureEngine.RequestFieldsOf(Tx.At(q, customer: id, merchant: "M1", ip: "10.0.0.1")));
            var full = new double[customer.ValueCount];
            var selected = new double[customer.ValueCount];
            engine.Evaluate(customer, id, q, full, scope, out var fullSequence);
            engine.Evaluate(customer, id, q, selected, scope, out var selectedSequence, null, selection);

            Assert.Equal(fullSequence, selectedSequence);
            foreach (var name in RulesFeatures)
            {
                var slot = customer.FeatureValue[customer.IndexOf(name)];
                Assert.Equal(BitConverter.DoubleToInt64Bits(full[slot]), BitConverter.DoubleToInt64Bits(selected[slot]));
                compared += full[slot] != 0 ? 1 : 0;
            }

            // Whatever the rules do not read, the graph searches and the request features among it, is left out.
            Assert.All(customer.GraphAggregates, a => Assert.True(double.IsNaN(selected[customer.AggregateValue(a)])));
            Assert.All(Enumerable.Range(0, customer.RequestFeatures.Count), r => Assert.True(double.IsNaN(customer.RequestValues(selected)[r])));
            Assert.Equal(
                RulesFeatures.Distinct().Order(StringComparer.Ordinal),
                customer.Features.Where(f => !double.IsNaN(selected[customer.FeatureValue[customer.IndexOf(f.Name)]])).Select(f => f.Name).Order(StringComparer.Ordinal));
        }

        Assert.True(compared > 100, $"only {compared} values were not 0");
    }

    [Fact]
    public void A_derived_a_graph_and_a_request_feature_select_what_they_read_and_equal_a_full_read_from_stored_bytes()
    {
        using var engine = Busy();
        var customer = engine.Plan.Entity("customer")!;
        var graph = customer.Features[customer.FeatureValue.Select((slot, i) => (slot, i)).First(p => customer.GraphAggregates.Any(a => customer.AggregateValue(a) == p.slot)).i].Name;
        var request = customer.RequestFeatures[0].Name;
        var selection = EntitySelection.Of(customer, ["velocity_score_1h", graph, request, "not_a_feature"]);
        var ids = Enumerable.Range(0, 6).Select(e => "C" + e.ToString(CultureInfo.InvariantCulture)).ToArray();
        var neighbours = StoredStates.From(engine, customer, ids);
        var fetched = new NeighbourStates(engine.StateFormat, customer);

        Assert.Equal(["velocity_score_1h", graph, request], selection.Features);
        Assert.True(selection.ReadsNeighbours);
        foreach (var (id, q) in Reads())
        {
            var scope = new ExpressionScope(q, 1234.56, FeatureEngine.RequestFieldsOf(Tx.At(q, customer: id, merchant: "M2", ip: "10.0.0.3")));
            var full = new double[customer.ValueCount];
            engine.Evaluate(customer, id, q, full, scope);
            var selected = new double[customer.ValueCount];
            var bytes = engine.ExportEntityState(customer, id);
            while (true)
            {
                engine.StateFormat.Evaluate(customer, bytes, null, q, selected, scope, fetched, selection);
                if (fetched.Missing.Count == 0)
                    break;
                foreach (var hash in fetched.TakeMissing())
                {
                    var (state, inflows) = neighbours(hash);
                    fetched.Add(hash, state, inflows);
                }
            }

            foreach (var slot in new[] { customer.FeatureValue[customer.IndexOf("velocity_score_1h")], customer.FeatureValue[customer.IndexOf(graph)], customer.RequestValue(0) })
                Assert.Equal(BitConverter.DoubleToInt64Bits(full[slot]), BitConverter.DoubleToInt64Bits(selected[slot]));
            Assert.True(double.IsNaN(selected[customer.FeatureValue[customer.IndexOf("txn_amount_sum_60s")]]));
        }
    }

    [Fact]
    public void A_layout_reading_some_columns_keeps_every_column_in_place_and_evaluates_nothing_of_an_entity_it_does_not_read()
    {
        var plan = FeaturePlan.Compile(TestEngines.Default);
        var layout = ModelInputLayout.Of(plan);

        var reading = layout.ReadingColumns(["txn_count_1h", "ip_unique_accounts_1h", ModelInputLayout.AmountInput]);

        Assert.Equal(layout.Names, reading.Names);
        Assert.Null(layout.Selection(0));
        Assert.Equal(["txn_count_1h"], reading.Selection(0)!.Features);
        Assert.True(reading.Selection(1)!.IsEmpty);
        Assert.Equal(["ip_unique_accounts_1h"], reading.Selection(2)!.Features);
        Assert.True(reading.Selection(3)!.IsEmpty);
        Assert.True(EntitySelection.Of(plan.Entity("customer")!, plan.Entity("customer")!.Features.Select(f => f.Name)).Features.Count > 80);
    }

    [Fact]
    public void The_rules_model_reads_its_weighted_features_and_those_of_its_rules()
    {
        var customer = FeaturePlan.Compile(TestEngines.Default).Entity("customer")!;

        var rules = new RulesRiskModel(RulesModelConfig.LoadDefault(), [.. customer.Features.Select(f => f.Name)]);

        Assert.Equal(RulesFeatures.Distinct().Order(StringComparer.Ordinal), rules.Reads.Order(StringComparer.Ordinal));
    }

    /// <summary>An engine over 20 hours of payments and transfers among six accounts, from several IPs and merchants.</summary>
    private static FeatureEngine Busy()
    {
        var engine = TestEngines.Inline();
        var random = new Random(11);
        foreach (var time in Enumerable.Range(0, 3_000).Select(_ => Start + random.NextInt64(0, Hours)).Order())
        {
            engine.Ingest(random.Next(3) == 0
                ? Tx.Transfer(time, $"C{random.Next(6)}", $"C{random.Next(6)}", random.NextInt64(1, 5_000_00))
                : Tx.At(time, customer: $"C{random.Next(6)}", merchant: $"M{random.Next(3)}", cents: random.NextInt64(1, 9_000_00),
                    ip: $"10.0.0.{random.Next(9)}"));
        }

        engine.Flush();
        return engine;
    }

    private static IEnumerable<(string Id, long Q)> Reads() =>
        from e in Enumerable.Range(0, 7)
        from q in new[] { Start + 3_600_000, Start + 6 * 3_600_000L + 12_345, Start + Hours - 59_000, Start + Hours + 1 }
        select ("C" + e.ToString(CultureInfo.InvariantCulture), q);
}
