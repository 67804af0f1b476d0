using Amlfs.Decisions;
using Amlfs.Scoring;
using Amlfs.Server.Decisions;
using Amlfs.Transactions;

namespace Amlfs.Server.Tests;

public sealed class DecisionFeedTests
{
    [Fact]
    public void The_ring_keeps_the_newest_decisions_and_forgets_the_evicted_ones()
    {
        var feed = new DecisionFeed(capacity: 3);

        feed.Publish([Decided(1, RiskLevel.High), Decided(2, RiskLevel.Low)]);
        feed.Publish([Decided(3, RiskLevel.High), Decided(4, RiskLevel.Medium)]);

        Assert.Equal(["T4", "T3", "T2"], feed.Newest(10).Select(d => d.TransactionId));
        Assert.Equal(["T3"], feed.Newest(10, d => d.Level == RiskLevel.High).Select(d => d.TransactionId));
        Assert.Equal(["T4"], feed.Newest(1).Select(d => d.TransactionId));
        Assert.Null(feed.Find("T1"));
        Assert.Equal(2, feed.Find("T2")!.LogSequence);
        Assert.Equal(4, feed.Published);
    }

    [Fact]
    public void Subscribers_get_every_batch_in_order_until_they_unsubscribe()
    {
        var feed = new DecisionFeed();
        var seen = new List<string>();
        var subscription = feed.Subscribe(batch => seen.AddRange(batch.Select(d => d.TransactionId)));

        feed.Publish([Decided(1, RiskLevel.Low), Decided(2, RiskLevel.Low)]);
        feed.Publish([Decided(3, RiskLevel.Low)]);
        subscription.Dispose();
        feed.Publish([Decided(4, RiskLevel.Low)]);

        Assert.Equal(["T1", "T2", "T3"], seen);
    }

    private static Decision Decided(long sequence, RiskLevel level) =>
        new("T" + sequence, "C", "M", DestinationType.Merchant, 100, 1_000 * sequence, sequence, 1_000 * sequence, 0.5, level, "rules-1");
}
