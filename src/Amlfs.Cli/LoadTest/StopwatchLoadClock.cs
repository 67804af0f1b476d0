using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Amlfs.Cli.LoadTest;

/// <summary>
/// <see cref="Stopwatch"/> ticks and a wait precise to tens of microseconds without spinning. An open-loop worker
/// waits between requests thousands of times a second, so neither <see cref="Thread.Sleep(int)"/> (whole milliseconds,
/// which would add up to a millisecond to every latency measured from the schedule) nor spinning (a core per few
/// workers) will do. On Linux the wait is <c>nanosleep</c> with the thread's timer slack lowered from 50 us to 1 us;
/// elsewhere it sleeps whole milliseconds while the target is more than 2 ms away and yields the processor below that.
/// </summary>
internal sealed partial class StopwatchLoadClock : LoadClock
{
    private const int PrSetTimerSlack = 29;
    private const long TimerSlackNanoseconds = 1_000;

    private static readonly bool Native = OperatingSystem.IsLinux() && Stopwatch.IsHighResolution;

    public static StopwatchLoadClock Instance { get; } = new();

    public override long Frequency => Stopwatch.Frequency;

    public override long GetTimestamp() => Stopwatch.GetTimestamp();

    public override void PrepareThread()
    {
        if (Native)
            _ = SetTimerSlack(PrSetTimerSlack, TimerSlackNanoseconds, 0, 0, 0);
    }

    public override void WaitUntil(long timestamp)
    {
        while (true)
        {
            var remaining = timestamp - Stopwatch.GetTimestamp();
            if (remaining <= 0)
                return;
            var nanoseconds = (long)(remaining * (1e9 / Stopwatch.Frequency));
            if (Native)
            {
                var request = new TimeSpec { Seconds = (nint)(nanoseconds / 1_000_000_000), Nanoseconds = (nint)(nanoseconds % 1_000_000_000) };
                _ = NanoSleep(in request, 0); // an early return (a signal) loops and sleeps the rest
            }
            else if (nanoseconds > 2_000_000)
            {
                Thread.Sleep((int)Math.Min(int.MaxValue, nanoseconds / 1_000_000 - 1));
            }
            else
            {
                Thread.Yield();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "nanosleep")]
    private static partial int NanoSleep(in TimeSpec request, nint remaining);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int SetTimerSlack(int option, long slack, long unused2, long unused3, long unused4);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }
}
