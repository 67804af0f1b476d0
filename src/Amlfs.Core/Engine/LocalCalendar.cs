namespace Amlfs.Engine;

/// <summary>
/// Local hour and day of week of UTC instants in one time zone. Caches the zone's offset per UTC hour when the offset
/// is the same at both ends of that hour, so conversions cost a division in steady state; hours that contain a
/// transition are converted exactly every time. Not thread-safe: each single-threaded user owns one.
/// </summary>
internal sealed class LocalCalendar(TimeZoneInfo zone)
{
    private const long HourMs = 3_600_000;
    private long _cachedHour = long.MinValue;
    private long _cachedOffsetMs;

    public TimeZoneInfo Zone { get; } = zone;

    public (int Hour, DayOfWeek Day) Local(long utcMs)
    {
        var hour = Math.DivRem(utcMs, HourMs, out var rem);
        if (rem < 0)
            hour--;
        long offsetMs;
        if (hour == _cachedHour)
        {
            offsetMs = _cachedOffsetMs;
        }
        else
        {
            var atStart = OffsetMs(hour * HourMs);
            var atEnd = OffsetMs(hour * HourMs + HourMs - 1);
            if (atStart == atEnd)
            {
                _cachedHour = hour;
                _cachedOffsetMs = atStart;
                offsetMs = atStart;
            }
            else
            {
                offsetMs = OffsetMs(utcMs);
            }
        }

        var local = DateTime.UnixEpoch.AddMilliseconds(utcMs + offsetMs);
        return (local.Hour, local.DayOfWeek);
    }

    private long OffsetMs(long utcMs) =>
        (long)Zone.GetUtcOffset(DateTime.UnixEpoch.AddMilliseconds(utcMs)).TotalMilliseconds;
}
