namespace Amlfs.Kafka.Workers;

/// <summary>
/// Passes on at most one message per source every <c>interval</c> and counts the rest, so that a client retrying
/// an unreachable broker every few milliseconds does not flood the log. Thread-safe: Kafka clients report from
/// their own threads.
/// </summary>
internal sealed class ThrottledLog(TimeProvider clock, TimeSpan interval, Action<string, string, int> write)
{
    private readonly Dictionary<string, (DateTimeOffset Last, int Suppressed)> _sources = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _reported;

    /// <summary>Every message reported so far, those passed on and those suppressed.</summary>
    public long Reported => Interlocked.Read(ref _reported);

    /// <summary>Writes <paramref name="message"/> of <paramref name="source"/> unless one was written within the interval.</summary>
    public void Write(string source, string message)
    {
        Interlocked.Increment(ref _reported);
        int suppressed;
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            if (_sources.TryGetValue(source, out var state) && now - state.Last < interval)
            {
                _sources[source] = (state.Last, state.Suppressed + 1);
                return;
            }

            suppressed = state.Suppressed;
            _sources[source] = (now, 0);
        }

        write(source, message, suppressed);
    }
}
