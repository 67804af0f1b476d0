using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Amlfs.Cli.LoadTest;

/// <summary>
/// Linux <c>epoll</c>, waited on with <c>epoll_pwait2</c>, whose timeout is in nanoseconds: one system call both
/// paces the next send (to the thread's timer slack, see <see cref="StopwatchLoadClock.PrepareThread"/>) and collects
/// every answer that arrived, with no thread hand-off.
/// </summary>
internal sealed unsafe partial class EpollSocketPoller : SocketPoller
{
    private const int EpollCloexec = 0x80000;
    private const int EpollCtlAdd = 1;
    private const int EpollCtlDel = 2;
    private const uint EpollIn = 0x001;
    private const uint EpollRdHup = 0x2000;
    private const int Interrupted = 4; // EINTR

    private readonly LoadClock _clock;
    private readonly int _epoll;
    private readonly EpollEvent[] _events = new EpollEvent[256];

    public EpollSocketPoller(LoadClock clock)
    {
        _clock = clock;
        _epoll = EpollCreate1(EpollCloexec);
        if (_epoll < 0)
            throw new SocketException(Marshal.GetLastPInvokeError());
    }

    /// <summary>The event layout below is x64's (packed, 12 bytes); other architectures use the portable poller.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    public override void Add(int index, Socket socket)
    {
        var change = new EpollEvent { Events = EpollIn | EpollRdHup, Data = (ulong)index };
        if (EpollCtl(_epoll, EpollCtlAdd, (int)socket.SafeHandle.DangerousGetHandle(), &change) != 0)
            throw new SocketException(Marshal.GetLastPInvokeError());
    }

    // Closing the socket would drop it from the set anyway; removing it first keeps a reused descriptor number from
    // ever reporting under the old index.
    public override void Remove(Socket socket) =>
        _ = EpollCtl(_epoll, EpollCtlDel, (int)socket.SafeHandle.DangerousGetHandle(), null);

    public override int Wait(long deadline, Span<int> ready)
    {
        var remaining = Math.Max(0, deadline - _clock.GetTimestamp());
        var nanoseconds = (long)(remaining * (1e9 / _clock.Frequency));
        var timeout = new TimeSpec { Seconds = (nint)(nanoseconds / 1_000_000_000), Nanoseconds = (nint)(nanoseconds % 1_000_000_000) };
        int count;
        fixed (EpollEvent* events = _events)
            count = EpollPwait2(_epoll, events, Math.Min(_events.Length, ready.Length), &timeout, 0);
        if (count < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error == Interrupted ? 0 : throw new SocketException(error);
        }

        for (var i = 0; i < count; i++)
            ready[i] = (int)_events[i].Data;
        return count;
    }

    public override void Dispose() => _ = Close(_epoll);

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static partial int EpollCtl(int epoll, int operation, int descriptor, EpollEvent* change);

    [LibraryImport("libc", EntryPoint = "epoll_pwait2", SetLastError = true)]
    private static partial int EpollPwait2(int epoll, EpollEvent* events, int capacity, TimeSpec* timeout, nint signalMask);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);

    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private struct EpollEvent
    {
        public uint Events;
        public ulong Data;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }
}
