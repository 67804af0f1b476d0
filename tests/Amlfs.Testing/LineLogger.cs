using Microsoft.Extensions.Logging;

namespace Amlfs.Testing;

/// <summary>Keeps every log message with its event id, so that tests can assert on what was logged and a failing test can show it.</summary>
public sealed class LineLogger : ILogger
{
    private readonly List<(EventId Id, LogLevel Level, string Message, DateTime At)> _entries = [];

    /// <summary>The formatted messages so far, oldest first.</summary>
    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_entries)
                return _entries.Select(e => e.Message).ToArray();
        }
    }

    /// <summary>The event ids so far, oldest first.</summary>
    public IReadOnlyList<int> EventIds
    {
        get
        {
            lock (_entries)
                return _entries.Select(e => e.Id.Id).ToArray();
        }
    }

    /// <summary>Every entry as a line with its time and level.</summary>
    public string Text
    {
        get
        {
            lock (_entries)
                return string.Join(Environment.NewLine, _entries.Select(e => $"{e.At:HH:mm:ss.fff} {e.Level}: {e.Message}"));
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        lock (_entries)
            _entries.Add((eventId, logLevel, formatter(state, exception), DateTime.UtcNow));
    }
}
