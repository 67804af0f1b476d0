using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Amlfs.Scoring;
using Amlfs.Server.Decisions;
using Amlfs.Server.Hosting;
using Amlfs.Server.Observability;
using Amlfs.Server.Serving;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Dashboard;

/// <summary>
/// The dashboard's one sampler: once a second it reads the engine's counters, the decisions counted from the feed, the
/// <c>/predict</c> latency histogram and (every few seconds) the health of each component, keeps the second in the
/// <see cref="OverviewRing"/> and publishes it, serialized once, to every live client through the
/// <see cref="OverviewBroadcast"/>. Its cost does not depend on how many pages are open.
/// </summary>
internal sealed partial class OverviewSampler : BackgroundService
{
    /// <summary>Seconds between two health checks (a replica's pings its online store).</summary>
    private const int HealthEverySeconds = 5;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly AmlfsRuntime _runtime;
    private readonly DecisionCounters _decisions;
    private readonly RouteLatency _predict;
    private readonly ServerHealth _health;
    private readonly ServerMetrics _metrics;
    private readonly TransactionScorer _scorer;
    private readonly IRaisedAlerts _raised;
    private readonly OverviewRing _ring;
    private readonly OverviewBroadcast _broadcast;
    private readonly TimeProvider _clock;
    private readonly ILogger<OverviewSampler> _logger;
    private readonly bool _decides;
    private readonly long[] _latencyBefore;
    private readonly long[] _latencyNow;
    private volatile IReadOnlyDictionary<string, string> _healthNow = new Dictionary<string, string>();
    private Task _healthCheck = Task.CompletedTask;
    private Previous? _previous;
    private int _tick;

    public OverviewSampler(
        AmlfsRuntime runtime, DecisionFeed feed, DecisionCounters decisions, RouteLatency predict, ServerHealth health, ServerMetrics metrics,
        TransactionScorer scorer, IRaisedAlerts raised, OverviewRing ring, OverviewBroadcast broadcast, ServerSettings settings, TimeProvider clock,
        ILogger<OverviewSampler> logger)
    {
        _runtime = runtime;
        _decisions = decisions;
        _predict = predict;
        _health = health;
        _metrics = metrics;
        _scorer = scorer;
        _raised = raised;
        _ring = ring;
        _broadcast = broadcast;
        _clock = clock;
        _logger = logger;
        _decides = settings.OnlineStore is null;
        _latencyBefore = new long[predict.BucketCount];
        _latencyNow = new long[predict.BucketCount];
        feed.Subscribe(decisions.Add);
    }

    /// <summary>Takes one sample now: the second since the previous one. One caller at a time (the loop below).</summary>
    private void Sample(CancellationToken cancellationToken)
    {
        // Checked beside the samples, not before them: a replica's ping of a slow store must not delay the second.
        if (_tick++ % HealthEverySeconds == 0 && _healthCheck.IsCompleted)
            _healthCheck = CheckHealthAsync(cancellationToken);

        var nowMs = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var engine = _runtime.ReadEngineSignals();
        var invalid = _metrics.Invalid;
        var levels = new[] { _decisions.Count(RiskLevel.Low), _decisions.Count(RiskLevel.Medium), _decisions.Count(RiskLevel.High) };
        _predict.Read(_latencyNow);
        var predictTotal = _latencyNow.Sum();
        var previous = _previous;
        _previous = new Previous(engine, invalid, levels, predictTotal);
        var predictInSecond = previous is null ? 0 : predictTotal - previous.PredictTotal;
        var p50 = previous is null ? null : RouteLatency.Quantile(_latencyBefore, _latencyNow, predictInSecond, 0.50);
        var p99 = previous is null ? null : RouteLatency.Quantile(_latencyBefore, _latencyNow, predictInSecond, 0.99);
        Array.Copy(_latencyNow, _latencyBefore, _latencyNow.Length);
        var freshness = _decisions.TakeOldestAgeMs();
        if (previous is null)
            return; // the first read is the baseline of the next second

        long? Delta(Func<EngineSignals, long> read) =>
            engine is { } e && previous.Engine is { } p ? Math.Max(0, read(e) - read(p)) : null;
        long? Decided(int level) => _decides ? levels[level] - previous.Levels[level] : null;
        var sample = new OverviewSample
        {
            T = nowMs,
            Accepted = Delta(s => s.Accepted),
            Duplicates = Delta(s => s.Duplicates),
            RejectedLate = Delta(s => s.Late),
            RejectedFuture = Delta(s => s.Future),
            RejectedInvalid = engine is null ? null : invalid - previous.Invalid,
            DecisionsLow = Decided(0),
            DecisionsMedium = Decided(1),
            DecisionsHigh = Decided(2),
            PredictRequests = predictInSecond,
            PredictP50Ms = Milliseconds(p50),
            PredictP99Ms = Milliseconds(p99),
            LagSeconds = engine is { } lag ? Math.Round(lag.LagSeconds, 3) : null,
            QueueDepth = engine?.QueueDepth,
            FreshnessSeconds = freshness is { } age ? age / 1000.0 : null,
        };
        _ring.Add(sample);
        var totals = new OverviewTotals
        {
            Accepted = engine?.Accepted,
            Duplicates = engine?.Duplicates,
            Rejected = engine is { } r ? r.Late + r.Future + invalid : null,
            Decisions = _decides ? levels.Sum() : null,
            Alerts = _decides ? levels[2] : null,
            RaisedAlerts = _raised.Enabled ? _raised.Newest : null,
            PredictRequests = predictTotal,
            Entities = engine?.Entities,
        };
        var update = new OverviewUpdate(sample, totals, _healthNow, _scorer.ModelVersion);
        _broadcast.Publish(ServerSentEvent(nowMs, JsonSerializer.SerializeToUtf8Bytes(update, DashboardJsonContext.Default.OverviewUpdate)));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _clock);
        try
        {
            do
            {
                try
                {
                    Sample(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSampleFailed(_logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One event of the stream: its id (the sample's time) and its data, one JSON line.</summary>
    private static byte[] ServerSentEvent(long id, byte[] json)
    {
        var head = Utf8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"id: {id}\ndata: "));
        var result = new byte[head.Length + json.Length + 2];
        head.CopyTo(result, 0);
        json.CopyTo(result, head.Length);
        result[^2] = (byte)'\n';
        result[^1] = (byte)'\n';
        return result;
    }

    private static double? Milliseconds(double? ticks) =>
        ticks is { } t ? Math.Round(t * 1000.0 / Stopwatch.Frequency, 3) : null;

    private async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            var report = await _health.CheckAsync(cancellationToken).ConfigureAwait(false);
            _healthNow = report.Components.ToDictionary(c => c.Key, c => c.Value.Status, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSampleFailed(_logger, e);
        }
    }

    /// <summary>The counters of the previous sample, which the next one subtracts.</summary>
    private sealed record Previous(EngineSignals? Engine, long Invalid, long[] Levels, long PredictTotal);
}
