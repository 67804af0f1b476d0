using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Amlfs.Cli.LoadTest;

/// <summary>
/// <see cref="Stopwatch"/> ticks. On Linux each worker thread's timer slack is lowered from 50 us to 1 us, so that a
/// worker's timed wait for its next send (<see cref="EpollSocketPoller"/>) ends within microseconds of it instead of
/// up to 50 us late, which would add to every latency measured from the schedule.
/// </summary>
internal sealed partial class StopwatchLoadClock : LoadClock
{
    private const int PrSetTimerSlack = 29;
    private const long TimerSlackNanoseconds = 1_000;

    public static StopwatchLoadClock Instance { get; } = new();

    public override long Frequency => Stopwatch.Frequency;

    public override long GetTimestamp() => Stopwatch.GetTimestamp();

    public override void PrepareThread()
    {
        if (OperatingSystem.IsLinux())
            _ = SetTimerSlack(PrSetTimerSlack, TimerSlackNanoseconds, 0, 0, 0);
    }

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int SetTimerSlack(int option, long slack, long unused2, long unused3, long unused4);
}
