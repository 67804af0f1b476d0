using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Registry.Expressions;
using Amlfs.Testing;

namespace Amlfs.Core.Tests.Engine;

/// <summary>Derived and request-time features, declared in the definitions file and evaluated by the engine.</summary>
public sealed class ExpressionFeatureTests
{
    private static readonly long Noon = Tx.Utc(2026, 3, 10, 15);

    // Continues the default file's request_features list, which holds txn_count_60s_with_current and
    // txn_amount_sum_60s_with_current.
    private const string Extra = """
          - name: amount_to_avg_1h_ratio
            entity: customer
            expression: request.amount / avg_txn_amount_1h
            description: The requested amount against the customer's mean of the last hour.

        """;

    private static RegistryDefinition Definitions() => DefinitionsLoader.Parse(
        DefinitionTexts.WithCustomerFeature("""
                  - name: share_of_hour_in_last_minute
                    expression: txn_amount_sum_60s / txn_amount_sum_1h
                  - name: ips_per_merchant_1h
                    expression: distinct_count(ip_address, 1h) / max(1, unique_merchants_1h)

            """) + Extra, "test.yaml");

    [Fact]
    public void Derived_features_combine_other_features_and_inline_aggregations()
    {
        using var engine = TestEngines.Inline(Definitions());
        engine.Ingest(Tx.At(Noon - 30 * 60_000, cents: 300_00, ip: "10.0.0.1", merchant: "M1"));
        engine.Ingest(Tx.At(Noon - 30_000, cents: 100_00, ip: "10.0.0.2", merchant: "M1"));
        engine.Ingest(Tx.At(Noon - 20_000, cents: 100_00, ip: "10.0.0.3", merchant: "M2"));
        var f = engine.Features("customer", "CUST_1", Noon);
        Assert.Equal(200.0 / 500.0, f["share_of_hour_in_last_minute"]);
        Assert.Equal(3.0 / 2.0, f["ips_per_merchant_1h"]);
        Assert.Equal(0, engine.Features("customer", "NOBODY", Noon)["share_of_hour_in_last_minute"]);
    }

    [Fact]
    public void Request_features_read_the_request_and_stored_features()
    {
        using var engine = TestEngines.Inline(Definitions());
        engine.Ingest(Tx.At(Noon - 30_000, cents: 100_00));
        engine.Ingest(Tx.At(Noon - 20_000, cents: 300_00));
        var customer = engine.Plan.Entity("customer")!;
        var names = customer.RequestFeatures.Select(f => f.Name).ToList();
        Assert.Equal(["txn_count_60s_with_current", "txn_amount_sum_60s_with_current"], names.Take(2));
        Assert.Equal("amount_to_avg_1h_ratio", names[^1]);
        var values = new double[customer.ValueCount];
        engine.Evaluate(customer, "CUST_1", Noon, values, new ExpressionScope(Noon, 8_000.00));
        var requestValues = customer.RequestValues(values);
        Assert.Equal(3.0, requestValues[0]); // two stored, plus the scored one
        Assert.Equal(8_400.0, requestValues[1]);
        Assert.Equal(40.0, requestValues[^1]); // 8,000 against a mean of 200
    }

    [Fact]
    public void Comparisons_and_if_choose_between_values_and_a_quiet_account_reads_its_bound()
    {
        var definitions = DefinitionsLoader.Parse(DefinitionTexts.WithCustomerFeature("""
                  - name: seconds_since_last_7d
                    expression: if(count(7d) == 0, 7d, now - last_time(7d)) / 1s
                  - name: busy_minute
                    expression: (txn_count_60s >= 2) * (txn_amount_sum_60s > 150) + log(1)

            """), "test.yaml");
        using var engine = TestEngines.Inline(definitions);
        engine.Ingest(Tx.At(Noon - 30_000, cents: 100_00));
        engine.Ingest(Tx.At(Noon - 20_000, cents: 100_00));

        var f = engine.Features("customer", "CUST_1", Noon);

        Assert.Equal(20.0, f["seconds_since_last_7d"]);
        Assert.Equal(1.0, f["busy_minute"]);
        Assert.Equal(7 * 86_400.0, engine.Features("customer", "NOBODY", Noon)["seconds_since_last_7d"]);
    }

    [Theory]
    [InlineData("txn_count_60s = 1", "use '==' to compare")]
    [InlineData("txn_count_60s ! 1", "use '!=' to compare")]
    [InlineData("1 < txn_count_60s < 3", "comparisons do not chain")]
    [InlineData("if(txn_count_60s, 1)", "if() takes a condition")]
    public void A_malformed_comparison_or_if_is_refused_with_its_reason(string expression, string reason)
    {
        var e = Assert.Throws<DefinitionException>(() => FeaturePlan.Load(DefinitionTexts.WithCustomerFeature($"""
                  - name: bad_expression
                    expression: "{expression}"

            """), "test.yaml"));

        Assert.Contains(e.Errors, error => error.Field == "bad_expression.expression" && error.Message.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Request_fields_are_refused_in_stored_features()
    {
        var e = Assert.Throws<DefinitionException>(() => FeaturePlan.Load(DefinitionTexts.WithCustomerFeature("""
                  - name: uses_request
                    expression: request.amount * 2

            """), "test.yaml"));
        Assert.Contains(e.Errors, error => error.Field == "uses_request.expression"
            && error.Message.Contains("only available to request features", StringComparison.Ordinal));
    }
}
