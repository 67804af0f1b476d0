using System.Net.Sockets;

namespace Amlfs.Cli.LoadTest;

/// <summary>An <see cref="ILoadPoller"/> over real sockets, each added under its connection's index.</summary>
internal abstract class SocketPoller : ILoadPoller, IDisposable
{
    /// <summary><c>epoll</c> on Linux x64; <c>Socket.Select</c> (millisecond waits) elsewhere.</summary>
    public static SocketPoller Create(LoadClock clock) =>
        EpollSocketPoller.IsSupported ? new EpollSocketPoller(clock) : new SelectSocketPoller(clock);

    public abstract void Add(int index, Socket socket);

    /// <summary>Stops watching <paramref name="socket"/>, before it is closed.</summary>
    public abstract void Remove(Socket socket);

    public abstract int Wait(long deadline, Span<int> ready);

    public abstract void Dispose();
}
