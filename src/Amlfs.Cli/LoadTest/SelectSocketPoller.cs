using System.Net.Sockets;

namespace Amlfs.Cli.LoadTest;

/// <summary>
/// The portable poller: <c>Socket.Select</c> over every watched socket. Its waits are whole milliseconds on
/// Unix, so pacing is coarser than with <see cref="EpollSocketPoller"/>; latencies stay honest, counted from the
/// schedule.
/// </summary>
internal sealed class SelectSocketPoller(LoadClock clock) : SocketPoller
{
    private readonly Dictionary<Socket, int> _indexes = [];
    private readonly List<Socket> _readable = [];

    public override void Add(int index, Socket socket) => _indexes[socket] = index;

    public override void Remove(Socket socket) => _indexes.Remove(socket);

    public override int Wait(long deadline, Span<int> ready)
    {
        var microseconds = (int)Math.Clamp((deadline - clock.GetTimestamp()) * 1e6 / clock.Frequency, 0, int.MaxValue);
        if (_indexes.Count == 0)
        {
            Thread.Sleep(microseconds / 1000);
            return 0;
        }

        _readable.Clear();
        _readable.AddRange(_indexes.Keys);
        Socket.Select(_readable, null, null, microseconds);
        var count = Math.Min(_readable.Count, ready.Length);
        for (var i = 0; i < count; i++)
            ready[i] = _indexes[_readable[i]];
        return count;
    }

    public override void Dispose()
    {
    }
}
