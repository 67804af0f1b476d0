using System.Text;
using Amlfs.Synthetic;
using Amlfs.Testing;
using Amlfs.Transactions;

namespace Amlfs.Kafka.Tests;

public sealed class TransactionMessageTests
{
    [Fact]
    public void Generated_transactions_parse_back_equal()
    {
        var traffic = new LiveTraffic(new SyntheticOptions { Customers = 20, Merchants = 5 }, TimeProvider.System, "codec");
        for (var i = 0; i < 200; i++)
        {
            var transaction = traffic.Next().Transaction;
            var errors = TransactionMessage.Parse(TransactionMessage.Serialize(transaction), out var parsed);
            Assert.Empty(errors);
            Assert.Equal(transaction, parsed);
        }
    }

    [Fact]
    public void A_message_carries_the_snake_case_fields_of_the_http_api()
    {
        var transaction = Tx.At(Tx.Utc(2026, 1, 5, 12, 30, 0, 250), customer: "CUST_7", cents: 120_50) with { Country = "BR" };

        var json = Encoding.UTF8.GetString(TransactionMessage.Serialize(transaction));

        Assert.Equal(
            $$"""{"transaction_id":"{{transaction.TransactionId}}","customer_id":"CUST_7","merchant_id":"MERCH_1","amount":120.5,"currency":"BRL","timestamp":"2026-01-05T12:30:00.250Z","ip_address":"10.0.0.1","country":"BR"}""",
            json);
        Assert.Equal("CUST_7", TransactionMessage.Key(transaction));
    }

    [Fact]
    public void A_field_of_the_wrong_type_is_named_once()
    {
        var errors = Parse("""{"transaction_id":"t1","customer_id":42,"merchant_id":"m","amount":"ten","timestamp":"2026-01-05T00:00:00Z"}""");

        Assert.Equal([new FieldError("customer_id", "must be a string, got a number"), new FieldError("amount", "must be a number, got a string")], errors);
    }

    [Fact]
    public void Invalid_values_are_reported_by_the_shared_validator()
    {
        var errors = Parse("""{"transaction_id":"t1","customer_id":"c","amount":-5,"timestamp":"2026-01-05T00:00:00Z","ip_address":"300.1.1.1"}""");

        Assert.Equal(["merchant_id", "amount", "ip_address"], errors.Select(e => e.Field));
        Assert.Contains(errors, e => e.Message == "must be greater than 0, got -5");
    }

    [Fact]
    public void A_message_without_a_timestamp_is_refused()
    {
        var errors = Parse("""{"transaction_id":"t1","customer_id":"c","merchant_id":"m","amount":5}""");

        Assert.Equal([new FieldError("timestamp", "is required")], errors);
    }

    [Fact]
    public void An_unreadable_timestamp_is_named()
    {
        var errors = Parse("""{"transaction_id":"t1","customer_id":"c","merchant_id":"m","amount":5,"timestamp":"yesterday"}""");

        Assert.Equal("timestamp", Assert.Single(errors).Field);
    }

    [Theory]
    [InlineData("{\"transaction_id\":", "message")]
    [InlineData("[1,2]", "message")]
    [InlineData("", "message")]
    public void A_value_that_is_not_a_json_object_is_a_message_error(string text, string field)
    {
        var error = Assert.Single(Parse(text));

        Assert.Equal(field, error.Field);
    }

    private static IReadOnlyList<FieldError> Parse(string text)
    {
        var errors = TransactionMessage.Parse(Encoding.UTF8.GetBytes(text), out var transaction);
        Assert.Null(transaction);
        return errors;
    }
}
