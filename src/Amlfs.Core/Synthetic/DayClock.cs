namespace Amlfs.Synthetic;

/// <summary>
/// The local-time layout of one UTC day: for each quarter hour of the day, the local hour it falls in, and from that
/// the daily rhythm of activity. Real time zones differ from UTC by whole quarter hours and change offset on quarter
/// hours, so every quarter hour of UTC lies within one local hour, and this holds on daylight-saving days too.
/// </summary>
internal sealed class DayClock
{
    public const int Slots = 96;
    public const long SlotMs = 15 * 60_000;
    public const long DayMs = 86_400_000;

    /// <summary>Relative activity of the population per local hour: quiet at night, peaks at lunch and in the evening.</summary>
    private static readonly double[] HourlyActivity =
    [
        0.30, 0.18, 0.10, 0.07, 0.07, 0.15, 0.60, 1.60, 3.20, 4.60, 5.40, 5.90,
        6.60, 6.00, 5.20, 5.00, 5.10, 5.60, 6.30, 6.80, 6.40, 4.80, 2.40, 1.00,
    ];

    /// <summary>Relative activity per local day of the week, Sunday first.</summary>
    private static readonly double[] WeekdayActivity = [0.70, 1.00, 1.00, 1.00, 1.02, 1.12, 0.90];

    private const int MaxShift = 2;

    private readonly byte[] _localHour = new byte[Slots];

    /// <summary>Per rhythm shift (-2 to +2 hours), the running total of activity over the day's quarter hours.</summary>
    private readonly double[][] _cumulative = new double[2 * MaxShift + 1][];

    public DayClock(DateOnly date, TimeZoneInfo zone)
    {
        Date = date;
        StartMs = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
        var night = new List<int>();
        for (var slot = 0; slot < Slots; slot++)
        {
            var utc = DateTime.UnixEpoch.AddMilliseconds(StartMs + slot * SlotMs);
            var hour = TimeZoneInfo.ConvertTimeFromUtc(utc, zone).Hour;
            _localHour[slot] = (byte)hour;
            if (IsNightHour(hour))
                night.Add(slot);
        }

        NightSlots = night.ToArray();
        var noon = TimeZoneInfo.ConvertTimeFromUtc(DateTime.UnixEpoch.AddMilliseconds(StartMs + DayMs / 2), zone);
        WeekdayFactor = WeekdayActivity[(int)noon.DayOfWeek];
        for (var shift = -MaxShift; shift <= MaxShift; shift++)
        {
            var totals = new double[Slots];
            var total = 0.0;
            for (var slot = 0; slot < Slots; slot++)
                totals[slot] = total += HourlyActivity[(_localHour[slot] - shift + 24) % 24];
            _cumulative[shift + MaxShift] = totals;
        }
    }

    public DateOnly Date { get; }

    /// <summary>UTC milliseconds of the day's first instant.</summary>
    public long StartMs { get; }

    /// <summary>The day's quarter hours that are local night, in time order.</summary>
    public int[] NightSlots { get; }

    /// <summary>How busy this day of the week is compared to a Monday.</summary>
    public double WeekdayFactor { get; }

    /// <summary>Night as the semantic contract defines it: local hour 22 or later, or before 6.</summary>
    public static bool IsNightHour(int hour) => hour >= 22 || hour < 6;

    /// <summary>An instant of the day drawn from the daily rhythm of a customer whose day runs shifted by some hours.</summary>
    public long SampleTime(ref SeededRandom rng, int shiftHours)
    {
        var slot = rng.PickCumulative(_cumulative[Math.Clamp(shiftHours, -MaxShift, MaxShift) + MaxShift]);
        return SlotStartMs(slot) + rng.NextInt64(SlotMs);
    }

    /// <summary>UTC milliseconds at which quarter hour <paramref name="slot"/> of the day starts.</summary>
    public long SlotStartMs(int slot) => StartMs + slot * SlotMs;
}
