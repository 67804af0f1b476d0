using System.Buffers;
using System.Text;
using System.Text.Json;
using Amlfs.Transactions;
using CsCheck;

namespace Amlfs.Core.Tests.Transactions;

public sealed class TransactionJsonReaderTests
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Every_field_reads_under_its_snake_case_name()
    {
        var errors = TransactionJsonReader.Parse("""
            {"transaction_id":"T1","customer_id":"C1","merchant_id":"M1","amount":8750.25,"currency":"usd",
             "timestamp":"2026-03-10T15:00:00.123Z","ip_address":"10.0.0.1","channel":"pix","device_id":"D1",
             "country":"br","payment_format":"ACH"}
            """u8, out var t);

        Assert.Empty(errors);
        Assert.Equal(("T1", "C1", "M1", 875_025L, "USD"), (t!.TransactionId, t.CustomerId, t.MerchantId, t.AmountCents, t.Currency));
        Assert.Equal(Noon.AddMilliseconds(123).ToUnixTimeMilliseconds(), t.TimestampMs);
        Assert.Equal(("10.0.0.1", "pix", "D1", "BR", "ACH"), (t.IpAddress, t.Channel, t.DeviceId, t.Country, t.PaymentFormat));
    }

    [Theory]
    [InlineData(null, DestinationType.Merchant)]
    [InlineData("\"merchant\"", DestinationType.Merchant)]
    [InlineData("\"account\"", DestinationType.Account)]
    [InlineData("\"Account\"", DestinationType.Account)]
    public void The_destination_is_a_merchant_unless_the_transaction_names_an_account(string? type, DestinationType expected)
    {
        var json = $$"""
            {"transaction_id":"T1","customer_id":"A1","merchant_id":"A2","amount":10,"timestamp":"2026-03-10T15:00:00Z"{{(type is null ? "" : $",\"destination_type\":{type}")}}}
            """;

        var errors = TransactionJsonReader.Parse(Encoding.UTF8.GetBytes(json), out var t);

        Assert.Empty(errors);
        Assert.Equal(expected, t!.DestinationType);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            TransactionJsonWriter.Write(writer, t);
        Assert.Empty(TransactionJsonReader.Parse(buffer.WrittenSpan, out var again));
        Assert.Equal(t, again);
    }

    [Fact]
    public void An_unknown_destination_type_is_named()
    {
        var errors = TransactionJsonReader.Parse("""
            {"transaction_id":"T1","customer_id":"A1","merchant_id":"A2","amount":10,"timestamp":"2026-03-10T15:00:00Z","destination_type":"bank"}
            """u8, out var t);

        Assert.Null(t);
        Assert.Equal([new("destination_type", "must be 'merchant' or 'account', got 'bank'")], errors);
    }

    [Fact]
    public void Every_field_of_the_wrong_type_is_reported_at_once_and_not_also_as_missing()
    {
        var errors = TransactionJsonReader.Parse("""
            {"transaction_id":7,"customer_id":["C1"],"merchant_id":"M1","amount":"12.50","timestamp":1700000000000}
            """u8, out var t);

        Assert.Null(t);
        Assert.Equal(
            [
                new("transaction_id", "must be a string, got a number"),
                new("customer_id", "must be a string, got an array"),
                new("amount", "must be a number, got a string"),
                new("timestamp", "must be a string, got a number"),
            ],
            errors);
    }

    [Fact]
    public void Null_reads_as_missing_and_unknown_fields_are_skipped_whatever_they_hold()
    {
        var errors = TransactionJsonReader.Parse("""
            {"transaction_id":"T1","customer_id":"C1","merchant_id":"M1","amount":1,"timestamp":"2026-03-10T15:00:00Z",
             "ip_address":null,"extra":{"nested":[1,{"a":"b"}]},"more":[["x"]],"flag":true}
            """u8, out var t);

        Assert.Empty(errors);
        Assert.Null(t!.IpAddress);
    }

    [Theory]
    [InlineData("2026-03-10T15:00:00Z", 0)]
    [InlineData("2026-03-10T15:00:00.5Z", 500)]
    [InlineData("2026-03-10T15:00:00.1234567Z", 123)]
    [InlineData("2026-03-10T12:00:00-03:00", 0)]
    [InlineData("2026-03-10T15:00:00", 0)]
    [InlineData("2026-03-10T15:00Z", 0)]
    public void A_timestamp_is_an_iso_8601_instant_and_without_an_offset_it_is_utc(string text, int milliseconds)
    {
        Assert.True(TransactionTimestamps.TryParse(text, out var instant));
        Assert.Equal(Noon.AddMilliseconds(milliseconds), instant.AddTicks(-(instant.Ticks % TimeSpan.TicksPerMillisecond)));
        Assert.Equal(TimeSpan.Zero, instant.Offset);
    }

    [Theory]
    [InlineData("2026-03-10")]
    [InlineData("2026-03-10 15:00:00Z")]
    [InlineData("03/10/2026 15:00:00")]
    [InlineData("10 March 2026 15:00")]
    [InlineData("2026-03-10T15:00:00ZZ")]
    [InlineData("")]
    public void Other_spellings_of_an_instant_are_refused_with_the_expected_form(string text)
    {
        var json = $$"""{"transaction_id":"T1","customer_id":"C1","merchant_id":"M1","amount":1,"timestamp":"{{text}}"}""";

        var errors = TransactionJsonReader.Parse(Encoding.UTF8.GetBytes(json), out _);

        Assert.Equal([new("timestamp", $"must be an ISO-8601 instant such as 2026-03-10T14:05:00.000Z, got '{text}'")], errors);
    }

    [Fact]
    public void A_missing_timestamp_is_required_unless_a_receive_time_stands_in_for_it()
    {
        var json = """{"transaction_id":"T1","customer_id":"C1","merchant_id":"M1","amount":1}"""u8;

        var withoutTime = TransactionJsonReader.Parse(json, out _);
        var stamped = TransactionJsonReader.Parse(json, out var t, timestampWhenMissing: Noon);

        Assert.Equal([new("timestamp", "is required")], withoutTime);
        Assert.Empty(stamped);
        Assert.Equal(Noon.ToUnixTimeMilliseconds(), t!.TimestampMs);
    }

    [Theory]
    [InlineData("", "message", "is empty")]
    [InlineData("[1,2]", "message", "must be a transaction object, got an array")]
    [InlineData("null", "message", "must be a transaction object, got null")]
    [InlineData("{\"amount\": 1", "message", "is not valid JSON")]
    [InlineData("{} {}", "message", "is not valid JSON")]
    [InlineData(" \n ", "message", "is empty")]
    public void A_value_that_is_not_one_transaction_object_names_the_message(string json, string field, string message)
    {
        var errors = TransactionJsonReader.Parse(Encoding.UTF8.GetBytes(json), out var t);

        Assert.Null(t);
        Assert.Equal(field, Assert.Single(errors).Field);
        Assert.StartsWith(message, errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_caller_reads_its_own_properties_beside_the_transaction()
    {
        var reader = new Utf8JsonReader("""{"record":true,"customer_id":"C1","score":{"deep":1}}"""u8);
        var errors = new List<FieldError>();
        var record = false;

        var input = TransactionJsonReader.Read(ref reader, errors, (string name, ref Utf8JsonReader value, List<FieldError> problems) =>
        {
            if (name != "record")
                return false;
            record = value.TokenType == JsonTokenType.True;
            return true;
        });

        Assert.Empty(errors);
        Assert.True(record);
        Assert.Equal("C1", input.CustomerId);
        Assert.False(reader.Read()); // the reader ends on the object's last token
    }

    [Fact]
    public void What_the_writer_writes_the_reader_reads_back_unchanged()
    {
        var ids = Gen.String[Gen.Char["ABCxyz0189_-é"], 1, 20];
        var optional = Gen.OneOf(Gen.Const((string?)null), ids.Select(s => (string?)s));
        var transactions = Gen.Select(ids, ids, ids, Gen.Long[1, 100_000_000_000L], Gen.Long[0, 16_000_000_000_000L],
            Gen.Select(optional, optional, optional, Gen.Int[0, 255], Gen.Bool),
            (id, customer, merchant, cents, ms, rest) => new Transaction
            {
                TransactionId = id,
                CustomerId = customer,
                MerchantId = merchant,
                AmountCents = cents,
                TimestampMs = ms,
                Channel = rest.Item1,
                DeviceId = rest.Item2,
                PaymentFormat = rest.Item3,
                IpAddress = rest.Item5 ? $"10.0.0.{rest.Item4}" : null,
                Country = rest.Item5 ? "BR" : null,
            });

        transactions.Sample(original =>
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
                TransactionJsonWriter.Write(writer, original);

            Assert.Empty(TransactionJsonReader.Parse(buffer.WrittenSpan, out var read));
            Assert.Equal(original, read);
        }, iter: 2_000);
    }
}
