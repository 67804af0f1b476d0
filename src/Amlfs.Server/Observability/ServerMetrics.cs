using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Amlfs.Engine;
using Amlfs.Learning.Drift;
using Amlfs.Scoring;
using Amlfs.Server.Contracts;
using Amlfs.Server.FeatureLogging;
using Prometheus;

namespace Amlfs.Server.Observability;

/// <summary>
/// The server's signals: request durations per route, counters of what ingest and scoring did, the process's figures
/// (<see cref="ProcessMetrics"/>), the graph searches (<see cref="GraphSearchExport"/>), the served vectors' data
/// quality (<see cref="FeatureQuality"/>) and the active model's drift (<see cref="ObserveDrift"/>), in a prometheus-net registry of its own that <c>GET /metrics</c> writes in
/// the Prometheus text format. Request, prediction and score signals are also published as
/// <see cref="System.Diagnostics.Metrics"/> instruments of meter <c>Amlfs.Server</c> (for dotnet-counters or
/// OpenTelemetry). Recording a request or a score finds its series in a dictionary and adds to it lock-free, with no
/// allocation once the series exists; what the engine counts anyway is read at scrape time.
/// </summary>
internal sealed class ServerMetrics : IDisposable
{
    public const string MeterName = "Amlfs.Server";

    private static readonly RiskLevel[] Levels = Enum.GetValues<RiskLevel>();

    private readonly IMetricFactory _factory;
    private readonly Prometheus.Histogram _requests;
    private readonly ConcurrentDictionary<RouteKey, Prometheus.Histogram.Child> _routes = new();
    private readonly Prometheus.Counter.Child[] _levels;
    private readonly Prometheus.Histogram _scores;
    private readonly Prometheus.Histogram _scoring;
    private readonly ConcurrentDictionary<string, ModelSeries> _models = new(StringComparer.Ordinal);
    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _invalid;
    private readonly Counter<long> _predictions;
    private readonly Histogram<double> _scoringDuration;
    private GraphSearchExport? _graph;
    private long _invalidCount;
    private readonly Prometheus.Counter _retentionDeleted;
    private Func<EngineSignals>? _engine;

    /// <summary>The engine's signals now, or null in a process without an engine (a replica).</summary>
    public EngineSignals? ReadEngine() => _engine?.Invoke();

    /// <summary>Transactions rejected by validation so far.</summary>
    public long InvalidCount => Volatile.Read(ref _invalidCount);

    /// <summary>Adds the alert counters: raised and throttled per rule, delivered and failed per rule and channel.</summary>
    public void ObserveAlerts(Amlfs.Alerts.Metrics.AlertMetrics alerts)
    {
        var counters = _factory.CreateCounter("amlfs_alerts_total", "Alerts by rule, channel (empty for raised and throttled) and outcome: raised, delivered, failed, throttled.",
            ["rule", "channel", "outcome"]);
        Registry.AddBeforeCollectCallback(() =>
        {
            foreach (var count in alerts.Snapshot())
            {
                counters.WithLabels(count.Rule, count.Channel ?? "", count.Counter.ToString().ToLowerInvariant()).IncTo(count.Value);
            }
        });
    }

    /// <summary>The requests refused for their key (<see cref="Security.AuthRejections"/>), counted in <see cref="Registry"/>.</summary>
    public Security.AuthRejections AuthRejections { get; }

    /// <summary>Counts the day partitions or files a retention sweep deleted from <paramref name="store"/>.</summary>
    public void RecordRetentionDeleted(string store, int count) => _retentionDeleted.WithLabels(store).Inc(count);

    public ServerMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        _factory = Metrics.WithCustomRegistry(Registry);
        AuthRejections = new Security.AuthRejections(_factory);
        _retentionDeleted = _factory.CreateCounter("amlfs_retention_deleted_total",
            "Day partitions or files the retention sweep deleted, by store (transactions, decisions, labels, feature_log, dead_letters).", ["store"]);
        ProcessMetrics.Register(Registry);
        _requests = _factory.CreateHistogram("amlfs_http_request_duration_seconds", "Duration of HTTP requests by route, method and status.",
            ["route", "method", "status"], Buckets(HistogramBounds.Latency));
        var predictions = _factory.CreateCounter("amlfs_predictions_total", "Transactions scored, by risk level.", ["level"]);
        _levels = [.. Levels.Select(level => predictions.WithLabels(level.WireName()))];
        _scoring = _factory.CreateHistogram("amlfs_scoring_duration_seconds", "Time the risk model took to score and explain one transaction, by model version.",
            ["model_version"], Buckets(HistogramBounds.Scoring));
        _scores = _factory.CreateHistogram("amlfs_risk_score", "Risk scores given, by model version.", ["model_version"], Buckets(HistogramBounds.Score));

        _duration = _meter.CreateHistogram<double>("amlfs.http.request.duration", "s", "Duration of HTTP requests");
        _invalid = _meter.CreateCounter<long>("amlfs.ingest.invalid", description: "Transactions rejected by validation");
        _predictions = _meter.CreateCounter<long>("amlfs.predictions", description: "Transactions scored");
        _scoringDuration = _meter.CreateHistogram<double>("amlfs.scoring.duration", "s", "Time a risk model took to score and explain one transaction");
    }

    /// <summary>Every series <c>/metrics</c> shows.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>
    /// Adds what depends on the definitions served: the graph searches of <paramref name="plan"/>'s graph aggregations
    /// and the data quality of its features, which the returned recorder counts.
    /// </summary>
    public FeatureQuality ObserveDefinitions(FeaturePlan plan)
    {
        _graph = new GraphSearchExport(_factory, plan);
        return new FeatureQuality(plan, Registry);
    }

    /// <summary>Registers the gauges and counters read from the engine and the pipeline at collection time.</summary>
    public void Observe(Func<EngineSignals> read)
    {
        _engine = read;
        _meter.CreateObservableCounter("amlfs.ingest.accepted", () => read().Accepted, description: "Transactions accepted");
        _meter.CreateObservableCounter("amlfs.ingest.duplicates", () => read().Duplicates, description: "Duplicate transactions");
        _meter.CreateObservableCounter("amlfs.ingest.late", () => read().Late, description: "Transactions rejected as late");
        _meter.CreateObservableCounter("amlfs.ingest.future", () => read().Future, description: "Transactions rejected for a future timestamp");
        _meter.CreateObservableGauge("amlfs.ingest.queue_depth", () => read().QueueDepth, description: "Transactions waiting for ingest");
        _meter.CreateObservableGauge("amlfs.engine.lag", () => read().LagSeconds, "s", "Wall clock minus the engine watermark");

        // A replica runs no engine and ingests nothing: it has none of these series, rather than zeros that look real.
        var accepted = _factory.CreateCounter("amlfs_ingest_accepted_total", "Transactions accepted by the engine.");
        var duplicates = _factory.CreateCounter("amlfs_ingest_duplicates_total", "Transactions reported as duplicates (counted once).");
        var rejected = _factory.CreateCounter("amlfs_ingest_rejected_total", "Transactions rejected, by reason.", ["reason"]);
        var (late, future, invalid) = (rejected.WithLabels("late"), rejected.WithLabels("future_timestamp"), rejected.WithLabels("invalid"));
        var queue = _factory.CreateGauge("amlfs_ingest_queue_depth", "Transactions waiting for the ingest writer and the shards.");
        var lag = _factory.CreateGauge("amlfs_engine_lag_seconds", "Wall clock minus the newest accepted event time (0 before any event).");
        var entities = _factory.CreateGauge("amlfs_engine_entities", "Entities held in memory.");
        var commits = _factory.CreateCounter("amlfs_wal_commits_total", "Group commits of the write-ahead log.");
        Registry.AddBeforeCollectCallback(() =>
        {
            var s = read();
            accepted.IncTo(s.Accepted);
            duplicates.IncTo(s.Duplicates);
            late.IncTo(s.Late);
            future.IncTo(s.Future);
            invalid.IncTo(Volatile.Read(ref _invalidCount));
            queue.Set(s.QueueDepth);
            lag.Set(s.LagSeconds);
            entities.Set(s.Entities);
            commits.IncTo(s.Commits);
        });
    }

    /// <summary>
    /// Adds the drift gauges, brought up to date from <paramref name="read"/> (the active model's sliding day; null when
    /// no learned model with a reference decides) at each scrape: <c>amlfs_feature_psi{feature}</c> per model input and
    /// <c>amlfs_score_psi</c>. While the day holds too few decisions for an index, or there is no drift to measure, the
    /// series are absent rather than zeros that look real; an input the active model no longer reads is removed.
    /// </summary>
    public void ObserveDrift(Func<DriftReading?> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var features = _factory.CreateGauge("amlfs_feature_psi",
            "Population stability index of each input of the active learned model over the sliding day of streamed decisions, against its training distribution.",
            ["feature"]);
        var score = _factory.CreateGauge("amlfs_score_psi",
            "Population stability index of the risk score of the active learned model over the sliding day of streamed decisions, against its distribution on validation.",
            new GaugeConfiguration { SuppressInitialValue = true });
        Registry.AddBeforeCollectCallback(() =>
        {
            var reading = read();
            var inputs = reading?.Inputs ?? [];
            foreach (var input in inputs)
                features.WithLabels(input.Input).Set(input.Psi);
            var current = inputs.Select(i => i.Input).ToHashSet(StringComparer.Ordinal);
            foreach (var labels in features.GetAllLabelValues().Where(l => !current.Contains(l[0])).ToArray())
                features.RemoveLabelled(labels);
            if (reading?.ScorePsi is { } psi)
                score.Set(psi);
            else
                score.Unpublish();
        });
    }

    /// <summary>Adds a replica's online store counters (reads, failed reads); its read latency is already a series.</summary>
    public void ObserveOnlineStore(OnlineStoreSignals signals)
    {
        _meter.CreateObservableCounter("amlfs.online_store.reads", () => signals.Reads, description: "Round trips to the online store that answered");
        _meter.CreateObservableCounter("amlfs.online_store.errors", () => signals.Errors, description: "Round trips to the online store that failed");
        var errors = _factory.CreateCounter("amlfs_online_store_errors_total", "Round trips to the online store that failed (each answered 503).");
        Registry.AddBeforeCollectCallback(() => errors.IncTo(signals.Errors));
    }

    /// <summary>The histogram of a replica's online store reads that answered (one round trip each).</summary>
    public IHistogram OnlineStoreReadDuration() =>
        _factory.CreateHistogram("amlfs_online_store_read_duration_seconds", "Duration of the online store reads that answered (one round trip each).",
            Buckets(HistogramBounds.Latency));

    /// <summary>Adds the feature log's counters (vectors logged, dropped, written).</summary>
    public void ObserveFeatureLog(FeatureLogger log)
    {
        _meter.CreateObservableCounter("amlfs.feature_log.logged", () => log.Logged, description: "Served vectors buffered for the feature log");
        _meter.CreateObservableCounter("amlfs.feature_log.dropped", () => log.Dropped, description: "Served vectors the feature log dropped");
        _meter.CreateObservableCounter("amlfs.feature_log.written", () => log.Written, description: "Served vectors written to the feature log");
        var vectors = _factory.CreateCounter("amlfs_feature_log_vectors_total", "Served feature vectors by what the feature log did with them.", ["outcome"]);
        var (logged, dropped, written) = (vectors.WithLabels("logged"), vectors.WithLabels("dropped"), vectors.WithLabels("written"));
        Registry.AddBeforeCollectCallback(() =>
        {
            logged.IncTo(log.Logged);
            dropped.IncTo(log.Dropped);
            written.IncTo(log.Written);
        });
    }

    public void RecordRequest(string route, string method, int status, long startTimestamp)
    {
        var seconds = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
        _routes.GetOrAdd(new RouteKey(route, method, status),
            static (key, requests) => requests.WithLabels(key.Route, key.Method, key.Status.ToString(CultureInfo.InvariantCulture)), _requests).Observe(seconds);
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
        _levels[(int)level].Inc();
        _predictions.Add(1, new KeyValuePair<string, object?>("level", level.WireName()));
    }

    /// <summary>One transaction scored by <paramref name="modelVersion"/>: its score and how long the model took.</summary>
    public void RecordScore(string modelVersion, double score, double seconds)
    {
        var series = _models.GetOrAdd(modelVersion, static (version, metrics) => new ModelSeries(
            metrics._scores.WithLabels(version), metrics._scoring.WithLabels(version)), this);
        series.Scores.Observe(score);
        series.Duration.Observe(seconds);
        if (_scoringDuration.Enabled)
            _scoringDuration.Record(seconds, new KeyValuePair<string, object?>("model_version", modelVersion));
    }

    public void Dispose()
    {
        _graph?.Dispose();
        _meter.Dispose();
    }

    private static HistogramConfiguration Buckets(double[] bounds) =>
        new() { Buckets = bounds, ExemplarBehavior = ExemplarBehavior.NoExemplars() };

    private readonly record struct RouteKey(string Route, string Method, int Status);

    /// <summary>The score distribution and scoring time of one model version.</summary>
    private sealed record ModelSeries(Prometheus.Histogram.Child Scores, Prometheus.Histogram.Child Duration);
}
