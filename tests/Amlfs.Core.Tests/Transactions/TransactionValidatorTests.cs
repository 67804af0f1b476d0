using Amlfs.Transactions;

namespace Amlfs.Core.Tests.Transactions;

public sealed class TransactionValidatorTests
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);

    private static TransactionInput Valid() => new()
    {
        TransactionId = "T1",
        CustomerId = "CUST_000001",
        MerchantId = "MERCH_00001",
        Amount = 8750.00m,
        Timestamp = Noon,
        IpAddress = "192.168.0.10",
    };

    [Fact]
    public void A_valid_transaction_keeps_cents_and_milliseconds_and_defaults_to_BRL()
    {
        var errors = TransactionValidator.Validate(Valid() with { Amount = 0.10m, Timestamp = Noon.AddTicks(12_345) }, out var t);
        Assert.Empty(errors);
        Assert.Equal(10, t!.AmountCents);
        Assert.Equal(0.10m, t.Amount);
        Assert.Equal("BRL", t.Currency);
        Assert.Equal(Noon.ToUnixTimeMilliseconds() + 1, t.TimestampMs);
    }

    [Fact]
    public void Every_problem_is_reported_with_its_field_name()
    {
        var input = new TransactionInput
        {
            Amount = 10.001m,
            Currency = "REAL",
            IpAddress = "999.1.1.1",
            Country = "Brazil",
        };
        var errors = TransactionValidator.Validate(input, out var t);
        Assert.Null(t);
        Assert.Equal(
            ["transaction_id", "customer_id", "merchant_id", "amount", "currency", "timestamp", "ip_address", "country"],
            errors.Select(e => e.Field));
        Assert.Contains("at most 2 decimal places", errors.Single(e => e.Field == "amount").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Amounts_must_be_positive(double amount)
    {
        var errors = TransactionValidator.Validate(Valid() with { Amount = (decimal)amount }, out _);
        Assert.Equal("amount", Assert.Single(errors).Field);
    }

    [Theory]
    [InlineData("10.0.0.1", "10.0.0.1")]
    [InlineData("2001:DB8:0:0:0:0:0:1", "2001:db8::1")]
    [InlineData("::ffff:10.0.0.1", "::ffff:10.0.0.1")]
    public void IPv4_and_IPv6_are_accepted_in_canonical_form(string ip, string canonical)
    {
        Assert.Empty(TransactionValidator.Validate(Valid() with { IpAddress = ip }, out var t));
        Assert.Equal(canonical, t!.IpAddress);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("10.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("256.0.0.1")]
    [InlineData("not an ip")]
    public void Ambiguous_or_malformed_ips_are_rejected(string ip)
    {
        var errors = TransactionValidator.Validate(Valid() with { IpAddress = ip }, out _);
        Assert.Equal("ip_address", Assert.Single(errors).Field);
    }

    [Fact]
    public void A_missing_ip_is_allowed_and_a_missing_timestamp_is_stamped_when_asked()
    {
        Assert.Empty(TransactionValidator.Validate(Valid() with { IpAddress = null }, out var t));
        Assert.Null(t!.IpAddress);
        var errors = TransactionValidator.Validate(Valid() with { Timestamp = null }, out _);
        Assert.Equal("timestamp", Assert.Single(errors).Field);
        Assert.Empty(TransactionValidator.Validate(Valid() with { Timestamp = null }, out var stamped, Noon));
        Assert.Equal(Noon, stamped!.Timestamp);
    }

    [Fact]
    public void Timestamps_out_of_the_engine_range_are_rejected()
    {
        var early = TransactionValidator.Validate(Valid() with { Timestamp = new DateTimeOffset(1969, 12, 31, 0, 0, 0, TimeSpan.Zero) }, out _);
        var late = TransactionValidator.Validate(Valid() with { Timestamp = new DateTimeOffset(2600, 1, 1, 0, 0, 0, TimeSpan.Zero) }, out _);
        Assert.Equal("timestamp", Assert.Single(early).Field);
        Assert.Equal("timestamp", Assert.Single(late).Field);
    }

    [Fact]
    public void Optional_fields_are_normalised()
    {
        Assert.Empty(TransactionValidator.Validate(Valid() with { Currency = "usd", Country = "br", Channel = "" }, out var t));
        Assert.Equal("USD", t!.Currency);
        Assert.Equal("BR", t.Country);
        Assert.Null(t.Channel);
    }
}
