using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Registry.Expressions;
using Amlfs.Testing;
using Amlfs.Transactions;

namespace Amlfs.Core.Tests.Engine;

/// <summary>
/// <c>first_seen</c> and <c>last_seen_time</c>: whether the request's counterparty, IP and device were seen with the
/// account in the last 30 days, exact at the window's edge although the account keeps raw events for hours only.
/// </summary>
public sealed class FirstSeenTests
{
    private const long Day = 86_400_000L;
    private static readonly long Noon = Tx.Utc(2026, 3, 10, 15);

    [Fact]
    public void A_counterparty_paid_within_30_days_is_not_first_seen_and_is_again_one_millisecond_after()
    {
        using var engine = TestEngines.Inline();
        engine.Ingest(Tx.At(Noon - 29 * Day, merchant: "MERCH_OLD"));
        // Daily payments elsewhere move the raw events along: the old payment leaves them within a day.
        for (var d = 28; d >= 1; d--)
            engine.Ingest(Tx.At(Noon - d * Day, merchant: "MERCH_DAILY"));

        var request = Tx.At(Noon, merchant: "MERCH_OLD");

        Assert.Equal(0, Request(engine, request, Noon)["first_seen_counterparty_30d"]);
        Assert.Equal(Noon - 29 * Day, Request(engine, request, Noon)["counterparty_last_seen_30d"]);
        Assert.Equal(29, Request(engine, request, Noon)["days_since_counterparty_30d"]);
        Assert.Equal(0, Request(engine, request, Noon + Day)["first_seen_counterparty_30d"]); // exactly 30 days: inside
        Assert.Equal(1, Request(engine, request, Noon + Day + 1)["first_seen_counterparty_30d"]);
        Assert.Equal(30, Request(engine, request, Noon + Day + 1)["days_since_counterparty_30d"]);
        Assert.Equal(1, Request(engine, Tx.At(Noon, merchant: "MERCH_NEW"), Noon)["first_seen_counterparty_30d"]);
    }

    [Fact]
    public void Ips_and_devices_are_first_seen_by_the_account_and_a_request_without_one_is_not()
    {
        using var engine = TestEngines.Inline();
        engine.Ingest(Tx.At(Noon - 10 * Day, ip: "177.20.0.1") with { DeviceId = "PHONE_1" });
        engine.Ingest(Tx.At(Noon - Day, customer: "OTHER", ip: "177.20.0.2") with { DeviceId = "PHONE_2" });

        var known = Request(engine, Tx.At(Noon, ip: "177.20.0.1") with { DeviceId = "PHONE_1" }, Noon);
        var otherAccounts = Request(engine, Tx.At(Noon, ip: "177.20.0.2") with { DeviceId = "PHONE_2" }, Noon);
        var none = Request(engine, Tx.At(Noon, ip: null), Noon);

        Assert.Equal((0.0, 0.0), (known["first_seen_ip_30d"], known["first_seen_device_30d"]));
        Assert.Equal((1.0, 1.0), (otherAccounts["first_seen_ip_30d"], otherAccounts["first_seen_device_30d"]));
        Assert.Equal((0.0, 0.0), (none["first_seen_ip_30d"], none["first_seen_device_30d"]));
    }

    [Fact]
    public void A_new_account_sees_every_value_of_its_first_request_for_the_first_time()
    {
        using var engine = TestEngines.Inline();

        var f = Request(engine, Tx.At(Noon, customer: "NEWCOMER", ip: "177.20.0.1") with { DeviceId = "PHONE_1" }, Noon);

        Assert.Equal((1.0, 1.0, 1.0), (f["first_seen_counterparty_30d"], f["first_seen_ip_30d"], f["first_seen_device_30d"]));
        Assert.Equal(0, f["counterparty_last_seen_30d"]);
    }

    [Fact]
    public void With_both_directions_a_transfer_received_from_the_destination_makes_the_pair_known()
    {
        var text = DefinitionTexts.WithInflows() + """
              - name: first_seen_pair_30d
                entity: customer
                aggregation: first_seen
                field: counterparty_id
                window: 30d
                direction: both
                description: 1 when no money moved between the account and the request's counterparty, either way, in 30 days.

            """;
        var definition = DefinitionsLoader.Parse(text, "features.yaml");
        using var engine = TestEngines.Inline(definition);
        engine.Ingest(Tx.Transfer(Noon - 5 * Day, from: "BOB", to: "ALICE"));

        var paysBack = Tx.Transfer(Noon, from: "ALICE", to: "BOB");
        var paysMerchantBob = Tx.At(Noon, customer: "ALICE", merchant: "BOB"); // a merchant spelled like the account

        Assert.Equal(0, Request(engine, paysBack, Noon)["first_seen_pair_30d"]);
        Assert.Equal(1, Request(engine, paysMerchantBob, Noon)["first_seen_pair_30d"]);
    }

    [Theory]
    [InlineData("aggregation: first_seen\n        field: ip_address\n        window: 30d", "first_seen compares with the request being scored: declare it under request_features")]
    public void First_seen_as_a_stored_feature_is_refused(string body, string message)
    {
        var feature = $"      - name: stored_first_seen\n        {body}\n\n";

        var e = Assert.Throws<DefinitionException>(() => FeaturePlan.Load(DefinitionTexts.WithCustomerFeature(feature), "features.yaml"));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aggregation: count\n    window: 1h", "aggregates against the request with first_seen or last_seen_time")]
    [InlineData("aggregation: first_seen\n    field: ip_address\n    window: 31d", "must be at most 30d")]
    [InlineData("aggregation: first_seen\n    field: amount\n    window: 30d", "first_seen needs one of: customer_id")]
    [InlineData("expression: first_seen(ip_address, 30d)", "declare it under request_features")]
    [InlineData("expression: request.amount\n    window: 30d", "an expression feature takes no window")]
    public void Bad_request_aggregations_are_refused_with_their_reason(string body, string message)
    {
        var text = DefinitionsLoader.DefaultText().TrimEnd('\n') + $"\n  - name: bad_request_feature\n    entity: customer\n    {body}\n";

        var e = Assert.Throws<DefinitionException>(() => FeaturePlan.Load(text, "features.yaml"));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Contains("bad_request_feature", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Seen_values_keep_the_latest_time_drop_what_no_read_reaches_when_they_need_room_and_merge()
    {
        var values = new SeenValues();
        for (ulong v = 1; v <= 5; v++)
            values.Record(v, (long)v * 10, expireBeforeMs: 0);
        values.Record(3, 25, expireBeforeMs: 0); // older than what is held: kept as 30
        values.Record(3, 35, expireBeforeMs: 0);

        Assert.Equal(35, values.Latest(3));
        Assert.Null(values.Latest(99));

        // The table is full at 6 of 8: room is made by dropping values last seen before 40 (1, 2, 3).
        values.Record(6, 60, expireBeforeMs: 0);
        values.Record(7, 70, expireBeforeMs: 40);
        Assert.Equal(4, values.Count);
        Assert.Null(values.Latest(1));
        Assert.Equal(70, values.Latest(7));

        var other = new SeenValues();
        other.Record(4, 400, 0);
        other.Record(8, 80, 0);
        var merged = SeenValues.Merge(values, other)!;
        Assert.Equal((400L, 80L, 70L, 40L), (merged.Latest(4)!.Value, merged.Latest(8)!.Value, merged.Latest(7)!.Value, values.Latest(4)!.Value));
        Assert.Null(SeenValues.Merge(null, null));
    }

    [Fact]
    public void An_account_remembers_its_values_not_every_event_of_30_days()
    {
        long BytesPerAccount(RegistryDefinition definition)
        {
            using var engine = TestEngines.Inline(definition);
            // 30 days of 5 payments a day to 10 counterparties, from 2 IPs and one device.
            for (var i = 0; i < 150; i++)
                engine.Ingest(Tx.At(Noon - 30 * Day + i * (Day / 5), merchant: "MERCH_" + (i % 10), ip: "177.20.0." + (i % 2)) with { DeviceId = "PHONE_1" });
            return engine.EntityBytes(engine.Plan.Entity("customer")!);
        }

        // The default without its request aggregations and the feature that reads one.
        var without = TestEngines.Default with
        {
            RequestFeatures = [.. TestEngines.Default.RequestFeatures.Where(f => !f.IsAggregation && f.Name != "days_since_counterparty_30d")],
        };
        var cost = BytesPerAccount(TestEngines.Default) - BytesPerAccount(without);

        // Three families (10 counterparties, 2 IPs, 1 device) of 16-byte slots at most 3/4 full, against the 6,000 bytes
        // that 150 raw events with three 8-byte fingerprints would take.
        Assert.InRange(cost, 13 * 16, 1_024);
    }

    private static Dictionary<string, double> Request(FeatureEngine engine, Transaction request, long q)
    {
        var customer = engine.Plan.Entity("customer")!;
        var values = new double[customer.ValueCount];
        engine.Evaluate(customer, request.CustomerId, q, values, new ExpressionScope(q, (double)request.Amount, FeatureEngine.RequestFieldsOf(request)));
        var requested = customer.RequestValues(values).ToArray();
        return customer.RequestFeatures.Select((f, i) => (f.Name, Value: requested[i])).ToDictionary(p => p.Name, p => p.Value);
    }
}
