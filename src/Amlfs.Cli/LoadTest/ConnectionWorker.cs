namespace Amlfs.Cli.LoadTest;

/// <summary>
/// One connection's loop: wait for the next request's time (open loop) or not (closed loop), send the next pre-encoded
/// request, record the answer's latency from the intended time. A request is part of the warmup when its intended
/// time is before the end of the warmup; no request is sent at or after the end of the run.
/// </summary>
internal sealed class ConnectionWorker(
    ILoadConnection connection, IReadOnlyList<byte[]> requests, int firstRequest, LoadClock clock, SendSchedule schedule,
    long warmupEnd, long end)
{
    private SendSchedule _schedule = schedule;

    public ConnectionStats Stats { get; } = new();

    public void Run()
    {
        clock.PrepareThread();
        var microsecondsPerTick = 1e6 / clock.Frequency;
        var next = firstRequest % requests.Count;
        while (true)
        {
            var now = clock.GetTimestamp();
            var intended = _schedule.Intended(now);
            if (intended >= end || now >= end)
                break;
            if (intended > now)
                clock.WaitUntil(intended);

            var request = requests[next];
            next = next + 1 == requests.Count ? 0 : next + 1;
            var warmup = intended < warmupEnd;
            try
            {
                var status = connection.Send(request);
                var latency = (long)((clock.GetTimestamp() - intended) * microsecondsPerTick);
                Stats.RecordAnswer(warmup, status, latency);
            }
            catch (RawHttpException e)
            {
                Stats.RecordFailure(warmup, e.Kind);
                if (e.Kind == RawHttpException.ConnectKind)
                    WaitBeforeReconnecting();
            }

            _schedule.Advance();
        }

        Stats.Unsent = _schedule.Remaining(end);
    }

    // A refused connection fails in microseconds; retrying at once would only count thousands of errors a second.
    private void WaitBeforeReconnecting() =>
        clock.WaitUntil(Math.Min(end, clock.GetTimestamp() + clock.Frequency / 100));
}
