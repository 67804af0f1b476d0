using Microsoft.Extensions.Logging;

namespace Amlfs.Testing;

/// <summary>Hands one <see cref="LineLogger"/> to every category of a host's logging, so that a test sees everything the process logged.</summary>
public sealed class LineLoggerProvider(LineLogger logger) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => logger;

    public void Dispose()
    {
    }
}
