using System.Text;
using Amlfs.Decisions;
using Amlfs.Scoring;
using Amlfs.Testing;
using Amlfs.Transactions;

namespace Amlfs.Kafka.Tests;

public sealed class DecisionMessageTests
{
    private static readonly Decision Plain = new("TX_1", "CUST_7", "MERCH_3", DestinationType.Merchant, 8_750_00, Tx.Utc(2026, 1, 5, 12, 30, 0, 250), 42,
        Tx.Utc(2026, 1, 5, 12, 30, 0, 270), 0.125, RiskLevel.Low, "rules-1");

    [Fact]
    public void A_decision_without_an_explanation_carries_the_snake_case_fields_and_leaves_the_optional_ones_out()
    {
        var json = Encoding.UTF8.GetString(DecisionMessage.Serialize(Plain));

        Assert.Equal(
            """{"transaction_id":"TX_1","customer_id":"CUST_7","merchant_id":"MERCH_3","destination_type":"merchant","amount":8750,"timestamp":"2026-01-05T12:30:00.250Z","log_sequence":42,"decided_at":"2026-01-05T12:30:00.270Z","risk_score":0.125,"risk_level":"LOW","model_version":"rules-1"}""",
            json);
        Assert.Equal(Plain, DecisionMessage.Parse(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void An_alerting_decision_parses_back_with_its_explanation_anomaly_score_and_as_of_instant()
    {
        var decision = Plain with
        {
            DestinationType = DestinationType.Account,
            AmountCents = 1,
            Score = 0.8731,
            Level = RiskLevel.High,
            ModelVersion = "gbt-3",
            AnomalyScore = 0.61,
            FeaturesAsOfMs = Tx.Utc(2026, 1, 4),
            Contributions = [new DecisionContribution("txn_amount_sum_5m", 8750, 1.25), new DecisionContribution("unique_ips_1h", 3, -0.5)],
        };

        var parsed = DecisionMessage.Parse(DecisionMessage.Serialize(decision));

        Assert.Equal(decision with { Contributions = null }, parsed with { Contributions = null });
        Assert.Equal(decision.Contributions, parsed.Contributions);
    }

    [Theory]
    [InlineData("[1]", "a decision message is a JSON array, not an object")]
    [InlineData("{\"transaction_id\":", "a decision message is not JSON")]
    [InlineData("""{"customer_id":"c"}""", "a decision message's transaction_id is missing")]
    public void A_message_that_is_not_a_decision_is_refused_naming_what_is_wrong(string json, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => DecisionMessage.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("risk_level", "\"SEVERE\"", "a decision message's risk_level 'SEVERE' is not LOW, MEDIUM or HIGH")]
    [InlineData("risk_score", "\"high\"", "a decision message's risk_score is a JSON string, not a number")]
    [InlineData("amount", "1.005", "a decision message's amount 1.005 is not an amount in cents")]
    [InlineData("destination_type", "\"bank\"", "a decision message's destination_type 'bank' is not merchant or account")]
    [InlineData("timestamp", "\"yesterday\"", "a decision message's timestamp")]
    public void A_field_at_fault_is_named(string field, string value, string expected)
    {
        var json = Encoding.UTF8.GetString(DecisionMessage.Serialize(Plain));
        var start = json.IndexOf($"\"{field}\":", StringComparison.Ordinal) + field.Length + 3;
        var end = json.IndexOfAny([',', '}'], start);
        var broken = json[..start] + value + json[end..];

        var error = Assert.Throws<InvalidDataException>(() => DecisionMessage.Parse(Encoding.UTF8.GetBytes(broken)));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }
}
