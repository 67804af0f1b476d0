using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Amlfs.Scoring;
using Amlfs.Server.Contracts;
using Amlfs.Server.FeatureLogging;

namespace Amlfs.Server.Observability;

/// <summary>
/// The server's signals: request durations per route, and counters of what ingest and scoring did. Each signal is
/// also published as a <see cref="System.Diagnostics.Metrics"/> instrument of meter <c>Amlfs.Server</c> (for
/// dotnet-counters or OpenTelemetry); <c>GET /metrics</c> renders them in the Prometheus text format.
/// </summary>
internal sealed class ServerMetrics : IDisposable
{
    public const string MeterName = "Amlfs.Server";

    private static readonly RiskLevel[] Levels = Enum.GetValues<RiskLevel>();

    private readonly ConcurrentDictionary<RouteKey, BucketHistogram> _routes = new();
    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _invalid;
    private readonly Counter<long> _predictions;
    private readonly Histogram<double> _scoring;
    private readonly ConcurrentDictionary<string, ModelSeries> _models = new(StringComparer.Ordinal);
    private long _invalidCount;
    private readonly long[] _levelCounts = new long[Levels.Length];

    public ServerMetrics()
    {
        _duration = _meter.CreateHistogram<double>("amlfs.http.request.duration", "s", "Duration of HTTP requests");
        _invalid = _meter.CreateCounter<long>("amlfs.ingest.invalid", description: "Transactions rejected by validation");
        _predictions = _meter.CreateCounter<long>("amlfs.predictions", description: "Transactions scored");
        _scoring = _meter.CreateHistogram<double>("amlfs.scoring.duration", "s", "Time a risk model took to score and explain one transaction");
    }

    /// <summary>Registers the gauges and counters read from the engine and the pipeline at collection time.</summary>
    public void Observe(Func<EngineSignals> read)
    {
        _meter.CreateObservableCounter("amlfs.ingest.accepted", () => read().Accepted, description: "Transactions accepted");
        _meter.CreateObservableCounter("amlfs.ingest.duplicates", () => read().Duplicates, description: "Duplicate transactions");
        _meter.CreateObservableCounter("amlfs.ingest.late", () => read().Late, description: "Transactions rejected as late");
        _meter.CreateObservableCounter("amlfs.ingest.future", () => read().Future, description: "Transactions rejected for a future timestamp");
        _meter.CreateObservableGauge("amlfs.ingest.queue_depth", () => read().QueueDepth, description: "Transactions waiting for ingest");
        _meter.CreateObservableGauge("amlfs.engine.lag", () => read().LagSeconds, "s", "Wall clock minus the engine watermark");
        Signals = read;
    }

    private Func<EngineSignals>? Signals { get; set; }

    private FeatureLogger? FeatureLog { get; set; }

    private OnlineStoreSignals? OnlineStore { get; set; }

    /// <summary>Adds a replica's online store counters (reads, failed reads) and its read latency.</summary>
    public void ObserveOnlineStore(OnlineStoreSignals signals)
    {
        _meter.CreateObservableCounter("amlfs.online_store.reads", () => signals.Reads, description: "Round trips to the online store that answered");
        _meter.CreateObservableCounter("amlfs.online_store.errors", () => signals.Errors, description: "Round trips to the online store that failed");
        OnlineStore = signals;
    }

    /// <summary>Adds the feature log's counters (vectors logged, dropped, written).</summary>
    public void ObserveFeatureLog(FeatureLogger log)
    {
        _meter.CreateObservableCounter("amlfs.feature_log.logged", () => log.Logged, description: "Served vectors buffered for the feature log");
        _meter.CreateObservableCounter("amlfs.feature_log.dropped", () => log.Dropped, description: "Served vectors the feature log dropped");
        _meter.CreateObservableCounter("amlfs.feature_log.written", () => log.Written, description: "Served vectors written to the feature log");
        FeatureLog = log;
    }

    public void RecordRequest(string route, string method, int status, long startTimestamp)
    {
        var seconds = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
        _routes.GetOrAdd(new RouteKey(route, method, status), static _ => BucketHistogram.ForLatency()).Record(seconds);
        if (_duration.Enabled)
            _duration.Record(seconds, new("route", route), new("method", method), new("status", status));
    }

    /// <summary>Transactions rejected by validation so far (the dashboard's rejected-as-invalid series).</summary>
    public long Invalid => Volatile.Read(ref _invalidCount);

    public void RecordInvalid(int count)
    {
        Interlocked.Add(ref _invalidCount, count);
        _invalid.Add(count);
    }

    public void RecordPrediction(RiskLevel level)
    {
        Interlocked.Increment(ref _levelCounts[(int)level]);
        _predictions.Add(1, new KeyValuePair<string, object?>("level", level.WireName()));
    }

    /// <summary>One transaction scored by <paramref name="modelVersion"/>: its score and how long the model took.</summary>
    public void RecordScore(string modelVersion, double score, double seconds)
    {
        var series = _models.GetOrAdd(modelVersion, static _ => new ModelSeries());
        series.Scores.Record(score);
        series.Duration.Record(seconds);
        if (_scoring.Enabled)
            _scoring.Record(seconds, new KeyValuePair<string, object?>("model_version", modelVersion));
    }

    /// <summary>Every signal in the Prometheus text exposition format, version 0.0.4.</summary>
    public string Render()
    {
        var text = new StringBuilder(4096);
        var c = CultureInfo.InvariantCulture;
        text.AppendLine("# HELP amlfs_http_request_duration_seconds Duration of HTTP requests by route, method and status.");
        text.AppendLine("# TYPE amlfs_http_request_duration_seconds histogram");
        foreach (var (key, histogram) in _routes.OrderBy(r => r.Key.Route, StringComparer.Ordinal).ThenBy(r => r.Key.Method, StringComparer.Ordinal).ThenBy(r => r.Key.Status))
        {
            var labels = string.Create(c, $"route=\"{Escape(key.Route)}\",method=\"{key.Method}\",status=\"{key.Status}\"");
            Histogram(text, "amlfs_http_request_duration_seconds", labels, histogram);
        }

        // A replica runs no engine and ingests nothing: it has none of these signals, rather than zeros that look real.
        if (Signals is { } read)
            RenderEngine(text, read(), Volatile.Read(ref _invalidCount));
        text.AppendLine("# HELP amlfs_predictions_total Transactions scored, by risk level.");
        text.AppendLine("# TYPE amlfs_predictions_total counter");
        foreach (var level in Levels)
            text.Append(c, $"amlfs_predictions_total{{level=\"{level.WireName()}\"}} {Volatile.Read(ref _levelCounts[(int)level])}\n");
        RenderModels(text);
        if (FeatureLog is { } log)
        {
            text.AppendLine("# HELP amlfs_feature_log_vectors_total Served feature vectors by what the feature log did with them.");
            text.AppendLine("# TYPE amlfs_feature_log_vectors_total counter");
            text.Append(c, $"amlfs_feature_log_vectors_total{{outcome=\"logged\"}} {log.Logged}\n");
            text.Append(c, $"amlfs_feature_log_vectors_total{{outcome=\"dropped\"}} {log.Dropped}\n");
            text.Append(c, $"amlfs_feature_log_vectors_total{{outcome=\"written\"}} {log.Written}\n");
        }

        if (OnlineStore is { } store)
            RenderOnlineStore(text, store);
        return text.ToString();
    }

    public void Dispose() => _meter.Dispose();

    private static void RenderEngine(StringBuilder text, EngineSignals s, long invalid)
    {
        var c = CultureInfo.InvariantCulture;
        Counter(text, "amlfs_ingest_accepted_total", "Transactions accepted by the engine.", s.Accepted);
        Counter(text, "amlfs_ingest_duplicates_total", "Transactions reported as duplicates (counted once).", s.Duplicates);
        text.AppendLine("# HELP amlfs_ingest_rejected_total Transactions rejected, by reason.");
        text.AppendLine("# TYPE amlfs_ingest_rejected_total counter");
        text.Append(c, $"amlfs_ingest_rejected_total{{reason=\"late\"}} {s.Late}\n");
        text.Append(c, $"amlfs_ingest_rejected_total{{reason=\"future_timestamp\"}} {s.Future}\n");
        text.Append(c, $"amlfs_ingest_rejected_total{{reason=\"invalid\"}} {invalid}\n");
        Gauge(text, "amlfs_ingest_queue_depth", "Transactions waiting for the ingest writer and the shards.", s.QueueDepth);
        Gauge(text, "amlfs_engine_lag_seconds", "Wall clock minus the newest accepted event time (0 before any event).", s.LagSeconds);
        Gauge(text, "amlfs_engine_entities", "Entities held in memory.", s.Entities);
        Counter(text, "amlfs_wal_commits_total", "Group commits of the write-ahead log.", s.Commits);
    }

    private static void RenderOnlineStore(StringBuilder text, OnlineStoreSignals store)
    {
        Counter(text, "amlfs_online_store_errors_total", "Round trips to the online store that failed (each answered 503).", store.Errors);
        text.AppendLine("# HELP amlfs_online_store_read_duration_seconds Duration of the online store reads that answered (one round trip each).");
        text.AppendLine("# TYPE amlfs_online_store_read_duration_seconds histogram");
        Histogram(text, "amlfs_online_store_read_duration_seconds", "", store.ReadLatency);
    }

    private void RenderModels(StringBuilder text)
    {
        var models = _models.OrderBy(m => m.Key, StringComparer.Ordinal).ToArray();
        text.AppendLine("# HELP amlfs_scoring_duration_seconds Time the risk model took to score and explain one transaction, by model version.");
        text.AppendLine("# TYPE amlfs_scoring_duration_seconds histogram");
        foreach (var (version, series) in models)
            Histogram(text, "amlfs_scoring_duration_seconds", $"model_version=\"{Escape(version)}\"", series.Duration);
        text.AppendLine("# HELP amlfs_risk_score Risk scores given, by model version.");
        text.AppendLine("# TYPE amlfs_risk_score histogram");
        foreach (var (version, series) in models)
            Histogram(text, "amlfs_risk_score", $"model_version=\"{Escape(version)}\"", series.Scores);
    }

    /// <summary>The bucket, sum and count lines of one histogram series; <paramref name="labels"/> without braces, may be empty.</summary>
    private static void Histogram(StringBuilder text, string name, string labels, BucketHistogram histogram)
    {
        var c = CultureInfo.InvariantCulture;
        var prefix = labels.Length == 0 ? "" : labels + ",";
        var series = labels.Length == 0 ? "" : "{" + labels + "}";
        var (buckets, count, sum) = histogram.Read();
        long cumulative = 0;
        for (var i = 0; i < histogram.Bounds.Count; i++)
        {
            cumulative += buckets[i];
            text.Append(c, $"{name}_bucket{{{prefix}le=\"{histogram.Bounds[i]}\"}} {cumulative}\n");
        }

        text.Append(c, $"{name}_bucket{{{prefix}le=\"+Inf\"}} {count}\n");
        text.Append(c, $"{name}_sum{series} {sum}\n");
        text.Append(c, $"{name}_count{series} {count}\n");
    }

    private static void Counter(StringBuilder text, string name, string help, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n");

    private static void Gauge(StringBuilder text, string name, string help, double value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n");

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private readonly record struct RouteKey(string Route, string Method, int Status);

    /// <summary>The score distribution and scoring time of one model version.</summary>
    private sealed class ModelSeries
    {
        public BucketHistogram Scores { get; } = new(BucketHistogram.ScoreBounds);

        public BucketHistogram Duration { get; } = new(BucketHistogram.ScoringBounds);
    }
}
