using System.Threading.Channels;
using Amlfs.Consistency;
using Amlfs.Engine;
using Amlfs.Logging;
using Amlfs.Parquet.FeatureLog;
using Amlfs.Transactions;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.FeatureLogging;

/// <summary>
/// Feature logging: every vector the API serves goes, with its as-of time and log sequence, into a bounded in-memory
/// buffer that a background task writes to the offline store's feature log (<see cref="FeatureLogFiles"/>) every
/// flush interval and on stop. The request path only copies the values and tries to enqueue: a full buffer drops the
/// vector and counts it (<c>/metrics</c>, and the next file's metadata), it never waits.
/// </summary>
internal sealed partial class FeatureLogger : IDisposable
{
    private const int MaxRowsPerWrite = 100_000;

    private readonly string _root;
    private readonly ILogger _logger;
    private readonly Channel<LoggedVector> _queue;
    private readonly Dictionary<string, string[]> _columns;
    private readonly string[][] _storedNames;
    private readonly string[][] _predictNames;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _writer;
    private long _logged;
    private long _dropped;
    private long _droppedUnrecorded;
    private long _written;

    public FeatureLogger(string dataDirectory, FeaturePlan plan, TimeSpan flushInterval, int capacity, ILogger logger)
    {
        _root = dataDirectory;
        _logger = logger;
        _queue = Channel.CreateBounded<LoggedVector>(new BoundedChannelOptions(capacity) { SingleReader = true });
        _storedNames = plan.Entities.Select(e => e.Features.Select(f => f.Name).ToArray()).ToArray();
        _predictNames = plan.Entities.Select(e => e.Features.Concat(e.RequestFeatures).Select(f => f.Name).ToArray()).ToArray();
        _columns = plan.Entities.ToDictionary(e => e.Name, e => _predictNames[e.Index], StringComparer.Ordinal);
        _writer = Task.Run(() => RunAsync(flushInterval));
    }

    /// <summary>Vectors accepted into the buffer.</summary>
    public long Logged => Volatile.Read(ref _logged);

    /// <summary>Vectors not logged: the buffer was full, or writing their file failed.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Vectors written to the feature log.</summary>
    public long Written => Volatile.Read(ref _written);

    /// <summary>Logs stored features as a read served them, with the other accounts its graph searches read.</summary>
    public void LogFeatures(EntityPlan entity, string id, long asOfMs, long logSequence, IReadOnlyList<NeighbourRead>? neighbours, long servedAtMs,
        ReadOnlySpan<double> features) =>
        Enqueue(new LoggedVector(entity.Name, id, asOfMs, logSequence, servedAtMs, FeatureLogKind.Features, null, _storedNames[entity.Index], Copy(features))
        {
            Neighbours = neighbours,
        });

    /// <summary>
    /// Logs the vector a score used: stored features then request features, computed with <paramref name="request"/>
    /// (its amount, and its fields for the aggregations compared with the request).
    /// </summary>
    public void LogPredict(EntityPlan entity, string id, long asOfMs, long logSequence, IReadOnlyList<NeighbourRead>? neighbours, long servedAtMs,
        Transaction request, ReadOnlySpan<double> vector)
    {
        var names = _predictNames[entity.Index];
        Enqueue(new LoggedVector(entity.Name, id, asOfMs, logSequence, servedAtMs, FeatureLogKind.Predict, (double)request.Amount, names,
            Copy(vector[..names.Length]), request)
        {
            Neighbours = neighbours,
        });
    }

    /// <summary>Writes what the buffer holds and stops; later vectors are counted as dropped.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _stop.Cancel();
        _writer.GetAwaiter().GetResult();
        _stop.Dispose();
    }

    private void Enqueue(LoggedVector vector)
    {
        if (_queue.Writer.TryWrite(vector))
        {
            Interlocked.Increment(ref _logged);
            return;
        }

        Interlocked.Increment(ref _dropped);
        Interlocked.Increment(ref _droppedUnrecorded);
    }

    private static double?[] Copy(ReadOnlySpan<double> values)
    {
        var copy = new double?[values.Length];
        for (var i = 0; i < values.Length; i++)
            copy[i] = values[i];
        return copy;
    }

    private async Task RunAsync(TimeSpan flushInterval)
    {
        using var timer = new PeriodicTimer(flushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                await WriteAvailableAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the buffer is complete, so what it holds is everything left to write.
        }

        await WriteAvailableAsync().ConfigureAwait(false);
    }

    private async Task WriteAvailableAsync()
    {
        var rows = new List<LoggedVector>();
        while (true)
        {
            rows.Clear();
            while (rows.Count < MaxRowsPerWrite && _queue.Reader.TryRead(out var vector))
                rows.Add(vector);
            if (rows.Count == 0)
                return;
            foreach (var entity in rows.GroupBy(r => r.Entity, StringComparer.Ordinal))
            {
                var batch = entity.ToArray();
                var dropped = Interlocked.Exchange(ref _droppedUnrecorded, 0);
                try
                {
                    await FeatureLogFiles.WriteAsync(_root, entity.Key, _columns[entity.Key], batch, dropped).ConfigureAwait(false);
                    Interlocked.Add(ref _written, batch.Length);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Interlocked.Add(ref _dropped, batch.Length);
                    Interlocked.Add(ref _droppedUnrecorded, batch.Length + dropped);
                    LogWriteFailed(_logger, batch.Length, e);
                }
            }
        }
    }

    [LoggerMessage(EventId = AmlfsEventId.FeatureLogWriteFailed, Level = LogLevel.Warning, Message = "Writing {Count} vectors to the feature log failed; they are counted as dropped")]
    private static partial void LogWriteFailed(ILogger logger, int count, Exception exception);
}
