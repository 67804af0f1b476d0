using Microsoft.Extensions.Logging;

namespace Amlfs.Kafka.Tests;

/// <summary>Keeps every log line, so that a failing test can show what the worker said.</summary>
internal sealed class LineLogger : ILogger
{
    private readonly List<string> _lines = [];

    public string Text
    {
        get
        {
            lock (_lines)
                return string.Join(Environment.NewLine, _lines);
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lines)
            _lines.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel}: {formatter(state, exception)}");
    }
}
