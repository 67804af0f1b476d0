using Amlfs.OfflineStore;
using Amlfs.Synthetic;
using Amlfs.Transactions;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Core.Tests.Synthetic;

public sealed class LiveTrafficTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 12, 0, 0, 123, TimeSpan.Zero);

    private static readonly SyntheticOptions Small = new() { Customers = 200, Merchants = 40, Days = 2, Seed = 99 };

    [Fact]
    public void The_same_seed_gives_the_same_transactions_apart_from_ids_and_time()
    {
        var first = new LiveTraffic(Small, new FakeTimeProvider(Now), "RUN_A");
        var second = new LiveTraffic(Small, new FakeTimeProvider(Now.AddDays(3)), "RUN_B");

        var a = Enumerable.Range(0, 500).Select(_ => Strip(first.Next())).ToList();
        var b = Enumerable.Range(0, 500).Select(_ => Strip(second.Next())).ToList();

        Assert.Equal(a, b);
        Assert.NotEqual(a, Enumerable.Range(0, 500).Select(_ => Strip(new LiveTraffic(Small with { Seed = 100 }, new FakeTimeProvider(Now)).Next())).ToList());
    }

    [Fact]
    public void Transactions_are_the_generators_in_order_with_their_labels()
    {
        var traffic = new LiveTraffic(Small, new FakeTimeProvider(Now));
        var history = new SyntheticGenerator(Small).Stream().ToList();

        var live = Enumerable.Range(0, history.Count + 10).Select(_ => traffic.Next()).ToList();

        // After the last day the history starts over from the first.
        Assert.Equal(history.Concat(history.Take(10)).Select(Strip), live.Select(Strip));
        Assert.Contains(live, t => t.IsSuspicious == true);
    }

    [Fact]
    public void Ids_are_unique_and_start_with_the_run_id()
    {
        var clock = new FakeTimeProvider(Now);
        var first = new LiveTraffic(Small, clock);
        var second = new LiveTraffic(Small, clock);

        var ids = Enumerable.Range(0, 3_000).Select(_ => first.Next().Transaction.TransactionId)
            .Concat(first.Burst("CUST_000001", 20).Select(t => t.Transaction.TransactionId))
            .ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.StartsWith(first.RunId + "_", id, StringComparison.Ordinal));
        Assert.All(ids, id => Assert.True(id.Length <= TransactionValidator.MaxIdLength));
        Assert.StartsWith("LIVE_20250314T120000123_", first.RunId, StringComparison.Ordinal);
        Assert.NotEqual(first.RunId, second.RunId); // two runs started in the same millisecond
        Assert.Equal(3_020, first.Issued);
    }

    [Fact]
    public void Timestamps_are_the_clocks_current_time()
    {
        var clock = new FakeTimeProvider(Now);
        var traffic = new LiveTraffic(Small, clock);

        var first = traffic.Next().Transaction;
        clock.Advance(TimeSpan.FromMilliseconds(1_500));
        var second = traffic.Next().Transaction;

        Assert.Equal(Now, first.Timestamp);
        Assert.Equal(Now.AddMilliseconds(1_500), second.Timestamp);
    }

    [Fact]
    public void A_burst_is_one_customer_at_distinct_merchants_with_small_amounts_from_a_few_ips_up_to_now()
    {
        var clock = new FakeTimeProvider(Now);
        var traffic = new LiveTraffic(Small, clock);
        var customer = traffic.Customers[0];

        var burst = traffic.Burst(customer.CustomerId, 30);

        Assert.Equal(30, burst.Count);
        Assert.All(burst, t =>
        {
            Assert.True(t.IsSuspicious);
            Assert.Equal(Typologies.Burst, t.Typology);
            Assert.Equal(customer.CustomerId, t.Transaction.CustomerId);
            Assert.Equal(customer.DeviceId, t.Transaction.DeviceId);
            Assert.InRange(t.Transaction.AmountCents, 100, 5_000);
            Assert.Equal(Channels.Card, t.Transaction.Channel);
        });
        Assert.Equal(30, burst.Select(t => t.Transaction.MerchantId).Distinct().Count());
        Assert.InRange(burst.Select(t => t.Transaction.IpAddress).Distinct().Count(), 3, 4);
        Assert.Contains(burst, t => customer.HomeIps.Contains(t.Transaction.IpAddress!));
        Assert.Equal(Now, burst[^1].Transaction.Timestamp);
        for (var i = 1; i < burst.Count; i++)
            Assert.Equal(LiveTraffic.BurstSpacing, burst[i].Transaction.Timestamp - burst[i - 1].Transaction.Timestamp);
    }

    [Fact]
    public void Bursts_are_deterministic_and_cover_every_merchant_when_longer_than_the_population()
    {
        var first = new LiveTraffic(Small, new FakeTimeProvider(Now), "A").Burst("CUST_000007", 50);
        var second = new LiveTraffic(Small, new FakeTimeProvider(Now), "B").Burst("CUST_000007", 50);
        var stranger = new LiveTraffic(Small, new FakeTimeProvider(Now)).Burst("SOMEONE_ELSE", 3);

        Assert.Equal(first.Select(Strip), second.Select(Strip));
        Assert.Equal(40, first.Select(t => t.Transaction.MerchantId).Distinct().Count());
        Assert.All(stranger, t => Assert.Equal("SOMEONE_ELSE", t.Transaction.CustomerId));
    }

    private static LabeledTransaction Strip(LabeledTransaction t) =>
        t with { Transaction = t.Transaction with { TransactionId = "", TimestampMs = 0 } };
}
