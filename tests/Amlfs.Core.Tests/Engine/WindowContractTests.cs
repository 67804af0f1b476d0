using Amlfs.Engine;
using Amlfs.Privacy;
using Amlfs.Testing;
using Amlfs.Transactions;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Core.Tests.Engine;

/// <summary>Each rule of the semantic contract, pinned on the default features.</summary>
public sealed class WindowContractTests
{
    // Tuesday 2026-03-10 15:00 UTC = 12:00 in Sao Paulo (UTC-3): a weekday noon.
    private static readonly long Noon = Tx.Utc(2026, 3, 10, 15);

    [Fact]
    public void An_event_at_the_query_time_is_not_counted()
    {
        using var engine = TestEngines.Inline();
        engine.Ingest(Tx.At(Noon));
        Assert.Equal(0, engine.Features("customer", "CUST_1", Noon)["txn_count_60s"]);
        Assert.Equal(1, engine.Features("customer", "CUST_1", Noon + 1)["txn_count_60s"]);
    }

    [Fact]
    public void An_event_exactly_one_window_before_q_is_counted_and_leaves_one_millisecond_later()
    {
        using var engine = TestEngines.Inline();
        engine.Ingest(Tx.At(Noon));
        Assert.Equal(1, engine.Features("customer", "CUST_1", Noon + 60_000)["txn_count_60s"]);
        Assert.Equal(0, engine.Features("customer", "CUST_1", Noon + 60_001)["txn_count_60s"]);
        Assert.Equal(1, engine.Features("customer", "CUST_1", Noon + 60_001)["txn_count_5m"]);
    }

    [Fact]
    public void Money_is_exact_to_the_cent()
    {
        using var engine = TestEngines.Inline();
        for (var i = 0; i < 1000; i++)
            engine.Ingest(Tx.At(Noon + i, cents: i % 2 == 0 ? 10 : 20)); // R$ 0.10 and R$ 0.20
        var f = engine.Features("customer", "CUST_1", Noon + 1000);
        Assert.Equal(150.00, f["txn_amount_sum_60s"]);
        Assert.Equal(0.15, f["avg_txn_amount_1h"]);
        Assert.Equal(0.20, f["max_txn_amount_1h"]);
    }

    [Fact]
    public void Empty_windows_give_zero_for_every_feature()
    {
        using var engine = TestEngines.Inline();
        engine.Ingest(Tx.At(Noon, cents: 500_00));
        // Past the longest window (30 days, plus a tile).
        var f = engine.Features("customer", "CUST_1", Noon + 31 * 86_400_000L);
        Assert.All(f, p => Assert.Equal(DefinitionTexts.QuietValue(p.Key), p.Value));
        var unknown = engine.Features("customer", "NOBODY", Noon);
        Assert.All(unknown, p => Assert.Equal(DefinitionTexts.QuietValue(p.Key), p.Value));
    }

    [Fact]
    public void An_unknown_entity_reads_as_zeros_and_is_reported_unknown()
    {
        using var engine = TestEngines.Inline();
        var plan = engine.Plan.Entity("customer")!;
        var values = new double[plan.Features.Count];
        Assert.False(engine.Read(plan, "NOBODY", Noon, values));
        engine.Ingest(Tx.At(Noon));
        Assert.True(engine.Read(plan, "CUST_1", Noon, values));
    }

    [Fact]
    public void Deviation_is_the_sample_standard_deviation_and_zero_below_two_events()
    {
        using var engine = TestEngines.Inline();
        engine.Ingest(Tx.At(Noon, cents: 100_00));
        Assert.Equal(0, engine.Features("customer", "CUST_1", Noon + 1)["amount_deviation_score_1h"]);
        engine.Ingest(Tx.At(Noon + 1, cents: 200_00));
        engine.Ingest(Tx.At(Noon + 2, cents: 300_00));
        // Sample standard deviation of 100, 200, 300 is 100.
        Assert.Equal(100.0, engine.Features("customer", "CUST_1", Noon + 3)["amount_deviation_score_1h"], 12);
    }

    [Fact]
    public void Distinct_ips_are_exact_and_missing_ips_are_not_counted()
    {
        using var engine = TestEngines.Inline();
        engine.Ingest(Tx.At(Noon, ip: "10.0.0.1"));
        engine.Ingest(Tx.At(Noon + 1, ip: "10.0.0.2"));
        engine.Ingest(Tx.At(Noon + 2, ip: "10.0.0.1"));
        engine.Ingest(Tx.At(Noon + 3, ip: null));
        engine.Ingest(Tx.At(Noon + 4, ip: "2001:db8::1", merchant: "MERCH_2"));
        var f = engine.Features("customer", "CUST_1", Noon + 5);
        Assert.Equal(3, f["unique_ips_1h"]);
        Assert.Equal(2, f["unique_merchants_1h"]);
        Assert.Equal(5, f["txn_count_1h"]);
    }

    [Fact]
    public void Events_older_than_the_watermark_minus_the_allowed_lateness_are_rejected_as_late()
    {
        using var engine = TestEngines.Inline();
        Assert.Equal(IngestStatus.Accepted, engine.Ingest(Tx.At(Noon)));
        Assert.Equal(IngestStatus.Accepted, engine.Ingest(Tx.At(Noon - 5 * 60_000)));
        Assert.Equal(IngestStatus.Late, engine.Ingest(Tx.At(Noon - 5 * 60_000 - 1)));
        Assert.Equal(1, engine.Late);
        Assert.Equal(2, engine.Features("customer", "CUST_1", Noon + 1)["txn_count_10m"]);
    }

    [Fact]
    public void A_late_event_within_the_lateness_is_counted_in_its_place()
    {
        using var engine = TestEngines.Inline();
        engine.Ingest(Tx.At(Noon));
        engine.Ingest(Tx.At(Noon - 120_000));
        var f = engine.Features("customer", "CUST_1", Noon - 59_000);
        Assert.Equal(1, f["txn_count_5m"]);
        Assert.Equal(0, f["txn_count_60s"]);
    }

    [Fact]
    public void Events_beyond_the_clock_skew_are_rejected_as_future_timestamps()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(Noon));
        using var engine = TestEngines.Inline(clock: clock);
        Assert.Equal(IngestStatus.Accepted, engine.Ingest(Tx.At(Noon + 60_000)));
        Assert.Equal(IngestStatus.FutureTimestamp, engine.Ingest(Tx.At(Noon + 60_001)));
        Assert.Equal(1, engine.FutureTimestamps);
    }

    [Fact]
    public void A_repeated_transaction_id_is_a_duplicate_counted_once()
    {
        using var engine = TestEngines.Inline();
        Assert.Equal(IngestStatus.Accepted, engine.Ingest(Tx.At(Noon, id: "T-1")));
        Assert.Equal(IngestStatus.Duplicate, engine.Ingest(Tx.At(Noon, id: "T-1")));
        Assert.Equal(IngestStatus.Duplicate, engine.Ingest(Tx.At(Noon + 10, id: "T-1", customer: "CUST_2")));
        Assert.Equal(1, engine.Features("customer", "CUST_1", Noon + 100)["txn_count_60s"]);
        Assert.Equal(0, engine.Features("customer", "CUST_2", Noon + 100)["txn_count_60s"]);
        Assert.Equal(1, engine.Features("merchant", "MERCH_1", Noon + 100)["merchant_txn_count_1h"]);
    }

    [Fact]
    public void A_resent_old_transaction_is_a_duplicate_not_late()
    {
        using var engine = TestEngines.Inline();
        engine.Ingest(Tx.At(Noon, id: "T-old"));
        engine.Ingest(Tx.At(Noon + 3_600_000));
        Assert.Equal(IngestStatus.Duplicate, engine.Ingest(Tx.At(Noon, id: "T-old")));
    }

    [Fact]
    public void Night_and_weekend_use_the_local_time_of_Sao_Paulo()
    {
        using var engine = TestEngines.Inline();
        // Saturday 2026-03-14 01:30 UTC = Friday 22:30 in Sao Paulo: night, not weekend.
        var fridayNight = Tx.Utc(2026, 3, 14, 1, 30);
        engine.Ingest(Tx.At(fridayNight));
        // Saturday 2026-03-14 12:00 UTC = Saturday 09:00 local: weekend, not night.
        var saturdayMorning = Tx.Utc(2026, 3, 14, 12);
        engine.Ingest(Tx.At(saturdayMorning));
        var f = engine.Features("customer", "CUST_1", saturdayMorning + 1);
        Assert.Equal(1, f["night_txn_count_24h"]);
        Assert.Equal(1, f["weekend_txn_count_7d"]);
    }

    [Fact]
    public void Tiled_windows_cover_from_the_hop_floor_of_q_minus_the_window()
    {
        using var engine = TestEngines.Inline();
        // 02:00 UTC = 23:00 local: night. The 24h window at q covers [floor_5m(q - 24h), q).
        var night = Tx.Utc(2026, 3, 10, 2, 0, 30);
        engine.Ingest(Tx.At(night));
        var q = night + 86_400_000L + 4 * 60_000; // q - 24h = 02:04:30, floored to 02:00:00: still covered
        Assert.Equal(1, engine.Features("customer", "CUST_1", q)["night_txn_count_24h"]);
        var later = night + 86_400_000L + 5 * 60_000; // q - 24h = 02:05:30, floored to 02:05: gone
        Assert.Equal(0, engine.Features("customer", "CUST_1", later)["night_txn_count_24h"]);
    }

    [Fact]
    public void Velocity_is_transactions_per_minute_since_the_first_of_the_hour_at_least_one_minute()
    {
        using var engine = TestEngines.Inline();
        for (var i = 0; i < 30; i++)
            engine.Ingest(Tx.At(Noon + i * 1_000));
        Assert.Equal(30, engine.Features("customer", "CUST_1", Noon + 30_000)["velocity_score_1h"]);
        // 30 transactions, the first 10 minutes ago: 3 per minute.
        Assert.Equal(3, engine.Features("customer", "CUST_1", Noon + 600_000)["velocity_score_1h"], 12);
    }

    [Fact]
    public void Merchant_features_count_distinct_customers()
    {
        using var engine = TestEngines.Inline();
        engine.Ingest(Tx.At(Noon, customer: "A", cents: 10_00));
        engine.Ingest(Tx.At(Noon + 1, customer: "B", cents: 30_00));
        engine.Ingest(Tx.At(Noon + 2, customer: "A", cents: 20_00));
        var f = engine.Features("merchant", "MERCH_1", Noon + 3);
        Assert.Equal(3, f["merchant_txn_count_1h"]);
        Assert.Equal(60.00, f["merchant_txn_amount_sum_1h"]);
        Assert.Equal(2, f["merchant_unique_customers_1h"]);
        Assert.Equal(20.00, f["merchant_avg_txn_amount_1h"]);
    }

    [Fact]
    public void A_query_older_than_the_history_is_refused()
    {
        using var engine = TestEngines.Inline();
        engine.Ingest(Tx.At(Noon));
        engine.Ingest(Tx.At(Noon + 86_400_000L + 3_600_000, customer: "CUST_9"));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => engine.Features("customer", "CUST_1", Noon));
        Assert.Contains("older than the retained history", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Old_events_leave_memory_once_no_query_can_see_them()
    {
        using var engine = TestEngines.Inline(configure: o => o with { QueryHistoryMs = 0, ShardCount = 1 });
        var customer = engine.Plan.Entity("customer")!;
        for (var i = 0; i < 100; i++)
            engine.Ingest(Tx.At(Noon + i * 60_000, customer: "C" + (i % 10)));
        var before = engine.EntityCount(customer);
        // The sweep visits a few table slots per applied event: a hundred later events visit every slot.
        for (var i = 0; i < 100; i++)
            engine.Ingest(Tx.At(Noon + 32 * 86_400_000L + i * 1_000, customer: "LATER"));
        Assert.Equal(10, before);
        Assert.Equal(1, engine.EntityCount(customer));
    }

    [Fact]
    public void Rejected_events_are_written_to_the_dead_letter_file()
    {
        using var directory = new TempDirectory();
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(Noon));
        using (var sink = new DeadLetterFile(directory.Path, clock, new Pseudonymizer(new byte[Pseudonymizer.KeyBytes])))
        {
            var plan = FeaturePlan.Compile(TestEngines.Default);
            using var engine = new FeatureEngine(plan, EngineOptions.From(TestEngines.Default) with { Threaded = false }, null, sink);
            engine.Ingest(Tx.At(Noon));
            engine.Ingest(Tx.At(Noon - 3_600_000, id: "T-late"));
        }

        var line = Assert.Single(File.ReadAllLines(Assert.Single(Directory.GetFiles(directory.Path))));
        Assert.Contains("\"reason\":\"late\"", line, StringComparison.Ordinal);
        Assert.Contains("\"transaction_id\":\"T-late\"", line, StringComparison.Ordinal);
        Assert.Contains("\"detail\":\"event time ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rejection_names_the_times_that_decided_it()
    {
        var rejections = new RecordedRejections();
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(Noon));
        var plan = FeaturePlan.Compile(TestEngines.Default);
        using var engine = new FeatureEngine(plan, EngineOptions.From(TestEngines.Default) with { Threaded = false }, clock, rejections);
        engine.Ingest(Tx.At(Noon - 1_000));
        engine.Ingest(Tx.At(Noon - 3_600_000, id: "T-late"));
        engine.Ingest(Tx.At(Noon + 61_000, id: "T-future"));

        Assert.Equal(
        [
            ("T-late", IngestStatus.Late, $"event time {Time(Noon - 3_600_000):O} is more than 5m before the watermark {Time(Noon - 1_000):O} (the newest event time accepted)"),
            ("T-future", IngestStatus.FutureTimestamp, $"event time {Time(Noon + 61_000):O} is more than 60s after the clock {Time(Noon):O}"),
        ], rejections.Seen);
    }

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private sealed class RecordedRejections : IRejectionSink
    {
        public List<(string Id, IngestStatus Reason, string Detail)> Seen { get; } = [];

        public void Rejected(Transaction transaction, IngestStatus reason, string detail) => Seen.Add((transaction.TransactionId, reason, detail));
    }
}
