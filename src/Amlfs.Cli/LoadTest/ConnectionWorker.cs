namespace Amlfs.Cli.LoadTest;

/// <summary>
/// One thread's connections, driven as an event loop: send each idle connection's next pre-encoded request when its
/// time comes (open loop) or at once (closed loop), then wait in one call, until the next send is due, for answers on
/// any connection, and record each answer's latency from its request's intended time. One thread for many connections
/// instead of one each: a wait and a wake-up per batch of answers instead of per request, which on a machine shared
/// with the server is most of what a request costs the generator.
/// <para>
/// A request is part of the warmup when its intended time is before the end of the warmup; no request is sent at or
/// after the end of the run, and the loop ends when the last answers are in or timed out.
/// </para>
/// </summary>
internal sealed class ConnectionWorker
{
    // Below this the next send is closer than the wake-up latency of a sleeping thread, so the loop only looks for
    // answers instead of sleeping: sends leave on time, at the cost of short spins.
    private static readonly TimeSpan SpinBelow = TimeSpan.FromMicroseconds(50);

    private readonly Slot[] _slots;
    private readonly IReadOnlyList<byte[]> _requests;
    private readonly LoadClock _clock;
    private readonly ILoadPoller _poller;
    private readonly long _warmupEnd;
    private readonly long _end;
    private readonly StreamWindows? _streams;
    private readonly long _timeout;
    private readonly long _spin;

    /// <summary>
    /// <paramref name="timeout"/> is in clock ticks; with <paramref name="spin"/> the loop polls rather than sleeps when
    /// the next send is under 50 us away. With <paramref name="streams"/> (when the dashboard's stream clients are open),
    /// the requests intended while they are closed and those intended while they are open are also counted apart
    /// (<see cref="ConnectionStats.Phases"/>).
    /// </summary>
    public ConnectionWorker(
        IReadOnlyList<ScheduledConnection> connections, IReadOnlyList<byte[]> requests, LoadClock clock, ILoadPoller poller,
        long warmupEnd, long end, long timeout, bool spin = true, StreamWindows? streams = null)
    {
        _slots = connections.Select(c => new Slot { Connection = c.Connection, Schedule = c.Schedule, Next = c.FirstRequest % requests.Count }).ToArray();
        _requests = requests;
        _clock = clock;
        _poller = poller;
        _warmupEnd = warmupEnd;
        _end = end;
        _streams = streams;
        _timeout = timeout;
        _spin = spin ? clock.Ticks(SpinBelow) : 0;
        Stats = new ConnectionStats(streams is not null);
    }

    /// <summary>What this worker's connections measured, together.</summary>
    public ConnectionStats Stats { get; }

    public void Run()
    {
        _clock.PrepareThread();
        var ready = new int[_slots.Length];
        while (true)
        {
            var now = _clock.GetTimestamp();
            var wake = long.MaxValue;
            var active = false;
            for (var i = 0; i < _slots.Length; i++)
            {
                ref var slot = ref _slots[i];
                if (slot.InFlight && now >= slot.Deadline)
                    TimeOut(ref slot);
                if (!slot.InFlight && !slot.Done)
                    Send(ref slot, now);
                if (slot.InFlight)
                    wake = Math.Min(wake, slot.Deadline);
                else if (!slot.Done)
                    wake = Math.Min(wake, slot.Due);
                active |= slot.InFlight || !slot.Done;
            }

            if (!active)
                break;
            var count = _poller.Wait(wake - now < _spin ? now : wake, ready);
            for (var k = 0; k < count; k++)
                Receive(ref _slots[ready[k]]);
        }

        foreach (var slot in _slots)
            Stats.Unsent += slot.Schedule.Remaining(_end);
    }

    /// <summary>Sends the slot's next request if it is due; else sets <see cref="Slot.Due"/>, or marks it done.</summary>
    private void Send(ref Slot slot, long now)
    {
        var intended = slot.Schedule.Intended(now);
        if (intended >= _end || now >= _end)
        {
            slot.Done = true;
            return;
        }

        slot.Due = Math.Max(intended, slot.NotBefore);
        if (slot.Due > now)
            return;

        var request = _requests[slot.Next];
        slot.Next = slot.Next + 1 == _requests.Count ? 0 : slot.Next + 1;
        slot.Intended = intended;
        try
        {
            slot.Connection.Start(request);
            slot.InFlight = true;
            slot.Deadline = _clock.GetTimestamp() + _timeout;
        }
        catch (RawHttpException e)
        {
            Stats.RecordFailure(intended < _warmupEnd, e.Kind, StreamsOpen(intended));
            // A refused connection fails in microseconds; retrying at once would only count thousands of errors a second.
            if (e.Kind == RawHttpException.ConnectKind)
                slot.NotBefore = now + _clock.Frequency / 100;
            slot.Schedule.Advance();
        }
    }

    private void Receive(ref Slot slot)
    {
        if (!slot.InFlight)
        {
            // Bytes, or the end of the stream, on a connection with nothing asked: the server closed an idle
            // connection. Drop it (the next request reconnects) rather than be told about it again and again.
            slot.Connection.Abort();
            return;
        }

        var warmup = slot.Intended < _warmupEnd;
        var withStreams = StreamsOpen(slot.Intended);
        try
        {
            if (!slot.Connection.TryReceive(out var status))
                return;
            var latency = (long)((_clock.GetTimestamp() - slot.Intended) * 1e6 / _clock.Frequency);
            Stats.RecordAnswer(warmup, status, latency, withStreams);
        }
        catch (RawHttpException e)
        {
            Stats.RecordFailure(warmup, e.Kind, withStreams);
        }

        slot.InFlight = false;
        slot.Schedule.Advance();
    }

    private bool StreamsOpen(long intended) => _streams is { } streams && streams.IsOpen(intended);

    private void TimeOut(ref Slot slot)
    {
        slot.Connection.Abort();
        Stats.RecordFailure(slot.Intended < _warmupEnd, RawHttpException.TimeoutKind, StreamsOpen(slot.Intended));
        slot.InFlight = false;
        slot.Schedule.Advance();
    }

    private struct Slot
    {
        public ILoadConnection Connection;
        public SendSchedule Schedule;
        public int Next; // index of the next request in the pool
        public bool InFlight;
        public bool Done; // nothing more to send before the end
        public long Intended; // of the request in flight
        public long Deadline; // when the request in flight times out
        public long Due; // when the next request may go
        public long NotBefore; // after a refused connection, when to try again
    }
}
