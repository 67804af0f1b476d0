using Amlfs.Cli.LoadTest;
using HdrHistogram;

namespace Amlfs.Cli.Tests.LoadTest;

/// <summary>
/// The worker's event loop driven by a fake clock in microseconds and fake connections that answer after chosen
/// times; the fake poller moves the clock to the next answer or deadline, as a real wait would.
/// </summary>
public sealed class ConnectionWorkerTests
{
    private static readonly IReadOnlyList<byte[]> Requests = [[1], [2], [3]];

    [Fact]
    public void Open_loop_latency_counts_from_the_scheduled_time_so_a_stall_is_charged_to_every_request_it_delayed()
    {
        var clock = new FakeLoadClock();
        // The first answer takes 10 ms, every other 100 us; one request is scheduled every millisecond.
        var connection = new FakeConnection(clock, [10_000, 100]);
        var worker = Worker(clock, [(connection, SendSchedule.OpenLoop(0, 1_000, 0, 1, clock.Frequency))], 0, 20_000);

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
        var worker = Worker(clock, [(connection, SendSchedule.ClosedLoop(0))], 0, 11_000);

        worker.Run();

        Assert.Equal([0, 10_000, 10_100, 10_200, 10_300, 10_400, 10_500, 10_600, 10_700, 10_800, 10_900], connection.Sent);
        Assert.Equal(1, CountBetween(worker.Stats.Latency, 9_990, 10_010));
        Assert.Equal(10, CountBetween(worker.Stats.Latency, 0, 101));
    }

    [Fact]
    public void A_run_with_streams_counts_each_request_in_the_phase_of_its_intended_time()
    {
        var clock = new FakeLoadClock();
        // One request every millisecond from 0 to 20 ms, answered in 100 us, then 2 ms from 12 ms on; streams open at 10 ms.
        var connection = new FakeConnection(clock, [.. Enumerable.Repeat(100L, 12), 2_000]);
        var worker = Worker(clock, [(connection, SendSchedule.OpenLoop(0, 1_000, 0, 1, clock.Frequency))], 0, 20_000, streams: new StreamWindows(10_000, 0));

        worker.Run();

        var (before, after) = (worker.Stats.Phases[0], worker.Stats.Phases[1]);
        Assert.Equal((10L, 10L), (before.Requests, before.Successes)); // intended at 0, 1, ... 9 ms
        Assert.Equal(worker.Stats.Requests - 10, after.Requests);
        Assert.Equal(after.Requests, after.Successes);
        Assert.Equal(10, CountBetween(before.Latency, 0, 101));
        Assert.Equal(2, CountBetween(after.Latency, 0, 101)); // intended at 10 and 11 ms; the slower ones follow
        Assert.Equal(after.Requests - 2, CountBetween(after.Latency, 1_990, 100_000));
        Assert.Equal(worker.Stats.Latency.TotalCount, before.Latency.TotalCount + after.Latency.TotalCount);
    }

    [Fact]
    public void Streams_that_open_and_close_in_turn_put_the_requests_of_each_window_in_its_phase()
    {
        var clock = new FakeLoadClock();
        // One request every millisecond, answered in 100 us; streams open 2 ms from 4 ms on: [4, 6), [8, 10), [12, 14)...
        var connection = new FakeConnection(clock, [100]);
        var windows = new StreamWindows(4_000, 2_000);
        var worker = Worker(clock, [(connection, SendSchedule.OpenLoop(0, 1_000, 0, 1, clock.Frequency))], 0, 16_000, streams: windows);

        worker.Run();

        // Intended at 4, 5, 8, 9, 12 and 13 ms with the streams; the ten others without.
        Assert.Equal((10L, 6L), (worker.Stats.Phases[0].Requests, worker.Stats.Phases[1].Requests));
        Assert.Equal(6_000, windows.OpenTicks(0, 16_000));
        Assert.Equal(4_000, windows.OpenTicks(5_000, 13_000)); // [5, 6), [8, 10) and [12, 13)
        Assert.Equal([(4_000L, 6_000L), (8_000L, 10_000L), (12_000L, 14_000L)], windows.Until(15_000));
        Assert.Equal([(4_000L, 15_000L)], new StreamWindows(4_000, 0).Until(15_000));
    }

    [Fact]
    public void A_run_without_streams_counts_no_phase()
    {
        var clock = new FakeLoadClock();
        var worker = Worker(clock, [(new FakeConnection(clock, [100]), SendSchedule.ClosedLoop(0))], 0, 1_000);

        worker.Run();

        Assert.True(worker.Stats.Requests > 0);
        Assert.Empty(worker.Stats.Phases);
    }

    [Fact]
    public void Connections_share_the_rate_evenly()
    {
        var starts = Enumerable.Range(0, 4).Select(c => SendSchedule.OpenLoop(1_000, 1_000, c, 4, 1_000_000)).ToList();

        Assert.Equal([1_000, 2_000, 3_000, 4_000], starts.Select(s => s.Intended(0)));
        Assert.All(starts, s => Assert.Equal(4_000, s.Interval));
    }

    [Fact]
    public void A_stalled_connection_does_not_delay_the_others_on_the_same_worker()
    {
        var clock = new FakeLoadClock();
        // Two connections share 1,000 requests/s: each sends every 2 ms, the second 1 ms after the first.
        var slow = new FakeConnection(clock, [5_000, 100]);
        var fast = new FakeConnection(clock, [100]);
        var worker = Worker(clock,
            [(slow, SendSchedule.OpenLoop(0, 1_000, 0, 2, clock.Frequency)), (fast, SendSchedule.OpenLoop(0, 1_000, 1, 2, clock.Frequency))],
            0, 8_000);

        worker.Run();

        Assert.Equal([1_000, 3_000, 5_000, 7_000], fast.Sent);
        Assert.Equal([0, 5_000, 5_100, 6_000], slow.Sent); // the requests due at 2 and 4 ms went when the stall ended
        Assert.Equal(8, worker.Stats.Requests);
        Assert.Equal(5, CountBetween(worker.Stats.Latency, 0, 101)); // fast's four and slow's last one
    }

    [Fact]
    public void Requests_due_before_the_end_of_the_warmup_are_not_measured()
    {
        var clock = new FakeLoadClock();
        var connection = new FakeConnection(clock, [100]);
        var worker = Worker(clock, [(connection, SendSchedule.OpenLoop(0, 1_000, 0, 1, clock.Frequency))], 3_000, 8_000, firstRequest: 2);

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
        var connection = new FakeConnection(clock, [100]) { Outcomes = [500, 200, Failure, 503] };
        var worker = Worker(clock, [(connection, SendSchedule.OpenLoop(0, 1_000, 0, 1, clock.Frequency))], 0, 4_000);

        worker.Run();

        Assert.Equal(4, worker.Stats.Requests);
        Assert.Equal(3, worker.Stats.ErrorCount);
        Assert.Equal(1, worker.Stats.Latency.TotalCount);
        Assert.Equal(
            new Dictionary<string, long> { ["http_500"] = 1, ["http_503"] = 1, ["connection"] = 1 },
            worker.Stats.Errors.ToDictionary(e => e.Key, e => e.Value));
    }

    [Fact]
    public void A_request_without_an_answer_times_out_and_its_connection_is_dropped()
    {
        var clock = new FakeLoadClock();
        var connection = new FakeConnection(clock, [100]) { Outcomes = [200, Silence, 200] };
        var worker = Worker(clock, [(connection, SendSchedule.OpenLoop(0, 1_000, 0, 1, clock.Frequency))], 0, 4_000, timeout: 1_500);

        worker.Run();

        // The second request (due at 1 ms) times out at 2.5 ms; the third, due at 2 ms, goes then.
        Assert.Equal([0, 1_000, 2_500, 3_000], connection.Sent);
        Assert.Equal(1, connection.Aborts);
        Assert.Equal(new Dictionary<string, long> { ["timeout"] = 1 }, worker.Stats.Errors.ToDictionary(e => e.Key, e => e.Value));
        Assert.Equal(3, worker.Stats.Latency.TotalCount);
    }

    [Fact]
    public void A_connection_behind_schedule_at_the_end_counts_what_it_could_not_send()
    {
        var clock = new FakeLoadClock();
        var connection = new FakeConnection(clock, [5_500]);
        var worker = Worker(clock, [(connection, SendSchedule.OpenLoop(0, 1_000, 0, 1, clock.Frequency))], 0, 10_000);

        worker.Run();

        Assert.Equal([0, 5_500], connection.Sent);
        Assert.Equal(8, worker.Stats.Unsent); // scheduled at 2, 3, ... 9 ms
    }

    [Fact]
    public void A_refused_connection_waits_before_it_tries_again()
    {
        var clock = new FakeLoadClock();
        var connection = new FakeConnection(clock, [100]) { Outcomes = [Refused, 200] };
        var worker = Worker(clock, [(connection, SendSchedule.ClosedLoop(0))], 0, 10_200);

        worker.Run();

        Assert.Equal([0, 10_000, 10_100], connection.Sent); // 10 ms later, not thousands of refusals
        Assert.Equal(new Dictionary<string, long> { ["connect"] = 1 }, worker.Stats.Errors.ToDictionary(e => e.Key, e => e.Value));
    }

    private const int Failure = -1;
    private const int Silence = -2;
    private const int Refused = -3;

    private static ConnectionWorker Worker(
        FakeLoadClock clock, (FakeConnection Connection, SendSchedule Schedule)[] connections, long warmupEnd, long end,
        int firstRequest = 0, long timeout = 1_000_000, StreamWindows? streams = null)
    {
        var poller = new FakePoller(clock, connections.Select(c => c.Connection).ToList());
        return new ConnectionWorker(
            connections.Select(c => new ScheduledConnection(c.Connection, c.Schedule, firstRequest)).ToList(), Requests, clock, poller,
            warmupEnd, end, timeout, spin: false, streams: streams);
    }

    private static long CountBetween(LongHistogram histogram, long low, long high) =>
        histogram.RecordedValues().Where(v => v.ValueIteratedTo >= low && v.ValueIteratedTo <= high).Sum(v => v.CountAtValueIteratedTo);

    /// <summary>Time in microseconds that moves only when the poller moves it.</summary>
    private sealed class FakeLoadClock : LoadClock
    {
        public long Now { get; set; }

        public override long Frequency => 1_000_000;

        public override long GetTimestamp() => Now;
    }

    /// <summary>Waits by moving the clock to the first answer due, or to the deadline when that comes first.</summary>
    private sealed class FakePoller(FakeLoadClock clock, IReadOnlyList<FakeConnection> connections) : ILoadPoller
    {
        public int Wait(long deadline, Span<int> ready)
        {
            var first = connections.Min(c => c.AnswerAt);
            clock.Now = Math.Max(clock.Now, Math.Min(deadline, first));
            var count = 0;
            for (var i = 0; i < connections.Count; i++)
            {
                if (connections[i].AnswerAt <= clock.Now)
                    ready[count++] = i;
            }

            return count;
        }
    }

    /// <summary>
    /// Answers after the given service times (the last one repeats) with the given outcomes (the last one repeats): a
    /// status, or <see cref="Failure"/> (the connection breaks), <see cref="Silence"/> (no answer ever),
    /// <see cref="Refused"/> (the connection cannot be opened).
    /// </summary>
    private sealed class FakeConnection(FakeLoadClock clock, long[] serviceTimes) : ILoadConnection
    {
        private int _outcome;

        public List<long> Sent { get; } = [];

        public List<int> Bodies { get; } = [];

        public int[] Outcomes { get; init; } = [200];

        public int Aborts { get; private set; }

        /// <summary>When the answer to the request in flight arrives; never when none is.</summary>
        public long AnswerAt { get; private set; } = long.MaxValue;

        public void Start(ReadOnlySpan<byte> request)
        {
            var n = Sent.Count;
            Sent.Add(clock.Now);
            Bodies.Add(request[0]);
            _outcome = Outcomes[Math.Min(n, Outcomes.Length - 1)];
            if (_outcome == Refused)
                throw new RawHttpException(RawHttpException.ConnectKind, "refused");
            AnswerAt = _outcome == Silence ? long.MaxValue : clock.Now + serviceTimes[Math.Min(n, serviceTimes.Length - 1)];
        }

        public bool TryReceive(out int status)
        {
            if (clock.Now < AnswerAt)
            {
                status = 0;
                return false;
            }

            AnswerAt = long.MaxValue;
            status = _outcome;
            return _outcome >= 0 ? true : throw new RawHttpException(RawHttpException.ConnectionKind, "broken");
        }

        public void Abort()
        {
            Aborts++;
            AnswerAt = long.MaxValue;
        }
    }
}
