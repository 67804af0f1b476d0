using Amlfs.Cli.LoadTest;
using HdrHistogram;

namespace Amlfs.Cli.Tests.LoadTest;

/// <summary>The worker loop driven by a fake clock in microseconds and a fake connection that takes chosen times.</summary>
public sealed class ConnectionWorkerTests
{
    private static readonly IReadOnlyList<byte[]> Requests = [[1], [2], [3]];

    [Fact]
    public void Open_loop_latency_counts_from_the_scheduled_time_so_a_stall_is_charged_to_every_request_it_delayed()
    {
        var clock = new FakeLoadClock();
        // The first answer takes 10 ms, every other 100 us; one request is scheduled every millisecond.
        var connection = new FakeConnection(clock, [10_000, 100]);
        var worker = new ConnectionWorker(connection, Requests, 0, clock, SendSchedule.OpenLoop(0, 1_000, 0, 1, clock.Frequency), 0, 20_000);

        worker.Run();

        // Requests 1 to 9 were due during the stall and went back to back as soon as it ended; then on schedule.
        Assert.Equal([0, 10_000, 10_100, 10_200, 10_300, 10_400, 10_500, 10_600, 10_700, 10_800, 10_900, 11_000, 12_000], connection.Sent[..13]);
        Assert.Equal(20, worker.Stats.Requests);
        Assert.InRange(worker.Stats.Latency.GetMaxValue(), 9_990, 10_010);
        // Latency from the schedule: 10 ms, 9.1 ms, 8.2 ms, ... 1.0 ms for the eleven the stall delayed, then 0.1 ms.
        Assert.Equal(11, CountBetween(worker.Stats.Latency, 1_000, 10_010));
        Assert.Equal(9, CountBetween(worker.Stats.Latency, 0, 101));
    }

    [Fact]
    public void Closed_loop_latency_counts_from_the_sending_and_the_next_request_follows_the_answer()
    {
        var clock = new FakeLoadClock();
        var connection = new FakeConnection(clock, [10_000, 100]);
        var worker = new ConnectionWorker(connection, Requests, 0, clock, SendSchedule.ClosedLoop(0), 0, 11_000);

        worker.Run();

        Assert.Equal([0, 10_000, 10_100, 10_200, 10_300, 10_400, 10_500, 10_600, 10_700, 10_800, 10_900], connection.Sent);
        Assert.Equal(1, CountBetween(worker.Stats.Latency, 9_990, 10_010));
        Assert.Equal(10, CountBetween(worker.Stats.Latency, 0, 101));
    }

    [Fact]
    public void Connections_share_the_rate_evenly()
    {
        var starts = Enumerable.Range(0, 4).Select(c => SendSchedule.OpenLoop(1_000, 1_000, c, 4, 1_000_000)).ToList();

        Assert.Equal([1_000, 2_000, 3_000, 4_000], starts.Select(s => s.Intended(0)));
        Assert.All(starts, s => Assert.Equal(4_000, s.Interval));
    }

    [Fact]
    public void Requests_due_before_the_end_of_the_warmup_are_not_measured()
    {
        var clock = new FakeLoadClock();
        var connection = new FakeConnection(clock, [100]);
        var worker = new ConnectionWorker(connection, Requests, 2, clock, SendSchedule.OpenLoop(0, 1_000, 0, 1, clock.Frequency), 3_000, 8_000);

        worker.Run();

        Assert.Equal(3, worker.Stats.WarmupRequests);
        Assert.Equal(5, worker.Stats.Requests);
        Assert.Equal(5, worker.Stats.Latency.TotalCount);
        Assert.Equal([3, 1, 2, 3, 1, 2, 3, 1], connection.Bodies); // starting at request 2, in turn
    }

    [Fact]
    public void Error_answers_and_failures_are_counted_by_kind_and_not_as_latencies()
    {
        var clock = new FakeLoadClock();
        var connection = new FakeConnection(clock, [100]) { Outcomes = [500, 200, -1, 503] };
        var worker = new ConnectionWorker(connection, Requests, 0, clock, SendSchedule.OpenLoop(0, 1_000, 0, 1, clock.Frequency), 0, 4_000);

        worker.Run();

        Assert.Equal(4, worker.Stats.Requests);
        Assert.Equal(3, worker.Stats.ErrorCount);
        Assert.Equal(1, worker.Stats.Latency.TotalCount);
        Assert.Equal(
            new Dictionary<string, long> { ["http_500"] = 1, ["http_503"] = 1, ["timeout"] = 1 },
            worker.Stats.Errors.ToDictionary(e => e.Key, e => e.Value));
    }

    [Fact]
    public void A_connection_behind_schedule_at_the_end_counts_what_it_could_not_send()
    {
        var clock = new FakeLoadClock();
        var connection = new FakeConnection(clock, [5_500]);
        var worker = new ConnectionWorker(connection, Requests, 0, clock, SendSchedule.OpenLoop(0, 1_000, 0, 1, clock.Frequency), 0, 10_000);

        worker.Run();

        Assert.Equal([0, 5_500], connection.Sent);
        Assert.Equal(8, worker.Stats.Unsent); // scheduled at 2, 3, ... 9 ms
    }

    private static long CountBetween(LongHistogram histogram, long low, long high) =>
        histogram.RecordedValues().Where(v => v.ValueIteratedTo >= low && v.ValueIteratedTo <= high).Sum(v => v.CountAtValueIteratedTo);

    /// <summary>Time in microseconds that moves only when a wait or an answer moves it.</summary>
    private sealed class FakeLoadClock : LoadClock
    {
        public long Now { get; set; }

        public override long Frequency => 1_000_000;

        public override long GetTimestamp() => Now;

        public override void WaitUntil(long timestamp) => Now = Math.Max(Now, timestamp);
    }

    /// <summary>Answers after the given service times (the last one repeats) with the given statuses (-1: time out).</summary>
    private sealed class FakeConnection(FakeLoadClock clock, long[] serviceTimes) : ILoadConnection
    {
        public List<long> Sent { get; } = [];

        public List<int> Bodies { get; } = [];

        public int[] Outcomes { get; init; } = [200];

        public int Send(ReadOnlySpan<byte> request)
        {
            var n = Sent.Count;
            Sent.Add(clock.Now);
            Bodies.Add(request[0]);
            clock.Now += serviceTimes[Math.Min(n, serviceTimes.Length - 1)];
            var outcome = Outcomes[Math.Min(n, Outcomes.Length - 1)];
            return outcome >= 0 ? outcome : throw new RawHttpException(RawHttpException.TimeoutKind, "no answer");
        }
    }
}
