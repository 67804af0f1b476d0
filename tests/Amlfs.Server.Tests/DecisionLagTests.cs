using Amlfs.Server.Hosting;

namespace Amlfs.Server.Tests;

/// <summary>The decision stream's back-pressure: how far its decisions trail the newest event, in event time.</summary>
public sealed class DecisionLagTests
{
    private const long Hour = 3_600_000;
    private const long MaxLag = 12 * Hour;
    private static readonly long Now = new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void Before_the_first_decision_the_lag_runs_from_the_first_transaction_waiting()
    {
        var lag = new DecisionLag();

        lag.Waiting(Now - (13 * Hour));
        lag.Waiting(Now); // a later one does not move the decisions forward

        Assert.True(lag.Trails(Now, MaxLag));
        Assert.False(lag.Trails(Now - Hour, MaxLag));
    }

    [Fact]
    public void Nothing_trails_while_nothing_is_decided_or_waiting()
    {
        var lag = new DecisionLag();

        Assert.False(lag.Trails(Now, MaxLag));
        Assert.False(lag.Trails(long.MaxValue, MaxLag));
        Assert.False(lag.Trails(null, MaxLag));
    }

    [Fact]
    public void Decisions_stand_at_the_newest_event_time_decided()
    {
        var lag = new DecisionLag();
        lag.Waiting(Now - (20 * Hour));

        lag.Decided(Now - (11 * Hour));
        lag.Decided(Now - (15 * Hour)); // an older batch does not move them back
        lag.Waiting(Now - (20 * Hour)); // nor does a transaction waiting once something is decided

        Assert.False(lag.Trails(Now, MaxLag));
        Assert.True(lag.Trails(Now + (2 * Hour), MaxLag));
        Assert.False(lag.Trails(null, MaxLag));
    }
}
