using Amlfs.Server.Dashboard;
using Amlfs.Server.Observability;

namespace Amlfs.Server.Tests;

/// <summary>The overview's history and the latency histogram behind its p50 and p99.</summary>
public sealed class OverviewRingTests
{
    [Fact]
    public void The_ring_keeps_the_newest_seconds_and_averages_long_spans_into_steps()
    {
        var ring = new OverviewRing(capacity: 7200);
        const long start = 1_800_000_000_000;
        for (var s = 0; s < 9000; s++)
            ring.Add(new OverviewSample { T = start + (s * 1000L), Accepted = s % 2 == 0 ? 10 : 20, PredictP99Ms = s == 8990 ? 9.5 : 1.0, LagSeconds = null });
        var now = start + (8999 * 1000L);

        Assert.Equal(7200, ring.Count);
        var minute = ring.History(now, 60);
        Assert.Equal(1, minute.StepSeconds);
        Assert.Equal(60, minute.T.Length);
        Assert.Equal(now, minute.T[^1]);
        var hours = ring.History(now, 7200);
        Assert.Equal(4, hours.StepSeconds); // 7,200 s in at most 1,800 points
        Assert.InRange(hours.T.Length, 1800, 1801);
        Assert.All(hours.Accepted[1..^1], v => Assert.Equal(15, v)); // per-second counts averaged over a step
        Assert.Contains(9.5, hours.PredictP99Ms); // the worst p99 of a step is kept
        Assert.All(hours.LagSeconds, v => Assert.Null(v)); // no signal stays no signal
    }

    [Fact]
    public void A_latency_quantile_is_within_a_bucket_of_the_truth()
    {
        var latency = new RouteLatency("/predict");
        var before = new long[latency.BucketCount];
        var now = new long[latency.BucketCount];
        latency.Read(before);
        for (var i = 1; i <= 1000; i++)
            latency.Record("/predict", i * 1000L); // 1 us to 1 ms in ticks of 1 ns
        latency.Record("/features/{customer_id}", 50_000_000);
        latency.Read(now);

        var p50 = RouteLatency.Quantile(before, now, 1000, 0.50)!.Value;
        var p99 = RouteLatency.Quantile(before, now, 1000, 0.99)!.Value;
        Assert.InRange(p50, 500_000 * 0.9375, 500_000 * 1.0625);
        Assert.InRange(p99, 990_000 * 0.9375, 990_000 * 1.0625);
        Assert.Null(RouteLatency.Quantile(now, now, 0, 0.99));
        for (var ticks = 0L; ticks < 1L << 40; ticks = (ticks * 3 / 2) + 1)
            Assert.InRange(RouteLatency.Middle(RouteLatency.Bucket(ticks)), ticks * 0.9, (ticks * 1.1) + 1);
    }
}
