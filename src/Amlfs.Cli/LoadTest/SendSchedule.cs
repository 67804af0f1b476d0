namespace Amlfs.Cli.LoadTest;

/// <summary>
/// When a connection's next request is meant to go. Open loop: every request has a scheduled time, a fixed interval
/// after the previous one whatever the server does, and its latency counts from that time, so a stalled server
/// delays and is charged for every request scheduled during the stall instead of hiding them (coordinated omission).
/// A connection that falls behind sends at once. Closed loop: the next request goes as soon as the previous answer is
/// in, and its latency counts from its sending.
/// </summary>
internal struct SendSchedule
{
    private readonly long _interval;
    private long _next;

    private SendSchedule(long first, long interval)
    {
        _next = first;
        _interval = interval;
    }

    public readonly bool IsOpenLoop => _interval > 0;

    /// <summary>Ticks between two requests of the connection; 0 in a closed loop.</summary>
    public readonly long Interval => _interval;

    /// <summary>
    /// Connection <paramref name="connection"/> of <paramref name="connections"/> sharing <paramref name="ratePerSecond"/>
    /// requests per second: each sends every connections / rate seconds, and the connections are staggered by
    /// 1 / rate so that together they send evenly.
    /// </summary>
    public static SendSchedule OpenLoop(long start, double ratePerSecond, int connection, int connections, long frequency)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        var interval = Math.Max(1, (long)Math.Round(frequency * (double)connections / ratePerSecond));
        var offset = (long)Math.Round(frequency * (double)connection / ratePerSecond);
        return new SendSchedule(start + offset, interval);
    }

    public static SendSchedule ClosedLoop(long start) => new(start, 0);

    /// <summary>The time the next request is meant to go: its scheduled time, or <paramref name="now"/> in a closed loop.</summary>
    public readonly long Intended(long now) => IsOpenLoop ? _next : Math.Max(now, _next);

    /// <summary>Moves to the request after the one just sent.</summary>
    public void Advance()
    {
        if (IsOpenLoop)
            _next += _interval;
    }

    /// <summary>Scheduled requests from the next one up to <paramref name="end"/> (exclusive) that were never sent.</summary>
    public readonly long Remaining(long end) => IsOpenLoop && _next < end ? (end - _next + _interval - 1) / _interval : 0;
}
