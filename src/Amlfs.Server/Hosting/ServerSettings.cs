using Amlfs.OnlineStore;
using Amlfs.Server.Decisions;
using Amlfs.Storage;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Hosting;

/// <summary>Settings of one server process, built once by the CLI (flags and environment) or by a test.</summary>
public sealed record ServerSettings
{
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (tests).</summary>
    public int Port { get; init; } = 8000;

    /// <summary>Holds the registry, the write-ahead log, snapshots and the dead-letter file.</summary>
    public string DataDirectory { get; init; } = "data";

    /// <summary>
    /// Whether the embedded server scores every accepted transaction as it streams in and logs the decision
    /// (<c>DATA/decision_log</c>); on by default.
    /// </summary>
    public bool StreamDecisions { get; init; } = true;

    /// <summary>
    /// The newest decisions kept in memory (<see cref="Decisions.DecisionFeed"/>) for the dashboard's alert list and
    /// pages; older ones are found in the decision log and the offline store.
    /// </summary>
    public int DecisionFeedCapacity { get; init; } = Decisions.DecisionFeed.DefaultCapacity;

    /// <summary>The alert rules and channels (read and checked from <c>alerts.yaml</c> by the caller); null for the built-in rules, which deliver nowhere.</summary>
    public Amlfs.Alerts.Rules.AlertRuleSet? AlertRules { get; init; }

    /// <summary>Synthetic transactions per second fed to the engine in-process; null runs no producer.</summary>
    public double? ProducerRate { get; init; }

    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>Most transactions one <c>POST /transactions</c> or <c>/batch-predict</c> may carry.</summary>
    public int MaxBatchTransactions { get; init; } = 1000;

    /// <summary>Largest request body; larger ones get 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = 1 << 20;

    /// <summary>Transactions waiting for the ingest writer before new batches get 429.</summary>
    public int IngestQueueCapacity { get; init; } = 100_000;

    /// <summary>When the write-ahead log is fsynced; see <see cref="WalFlushPolicy"/>.</summary>
    public WalFlushPolicy FlushPolicy { get; init; } = WalFlushPolicy.Always;

    public TimeSpan SnapshotInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Size at which a write-ahead log segment is sealed and the next one begins.</summary>
    public long WalSegmentBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Run request handlers on the socket threads instead of the thread pool (fewer context switches).</summary>
    public bool InlineScheduling { get; init; } = true;

    /// <summary>Engine shards (one thread each).</summary>
    public int ShardCount { get; init; } = System.Environment.ProcessorCount;

    /// <summary>The rules model's YAML file; null uses the built-in defaults. Environment variables override either.</summary>
    public string? RiskModelFile { get; init; }

    /// <summary>Environment variables that may override the risk model's settings (<c>AMLFS_RISK_*</c>).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Feature logging: every vector served by <c>/predict</c>, <c>/batch-predict</c> and <c>/features</c> is written,
    /// with its as-of time and log sequence, to <c>DATA/feature_log/</c> for <c>amlfs consistency</c>.
    /// </summary>
    public bool LogFeatures { get; init; }

    /// <summary>How often the feature log's buffer is written to files (and on stop).</summary>
    public TimeSpan FeatureLogFlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Vectors the feature log buffers before it drops (and counts) new ones.</summary>
    public int FeatureLogCapacity { get; init; } = 65_536;

    /// <summary>
    /// The online store a stateless replica reads entity states from (workers write them); null runs the embedded engine
    /// and durable store. The caller connects it, keeps it for the server's life and disposes it after; the server starts
    /// whether or not it answers and reports it through <c>/health</c>. A replica ingests nothing and keeps no files.
    /// </summary>
    public IOnlineStore? OnlineStore { get; init; }

    /// <summary>How messages and <c>/health</c> name <see cref="OnlineStore"/>, e.g. <c>redis://cache:6379</c>; never a password.</summary>
    public string? OnlineStoreEndpoint { get; init; }

    /// <summary>
    /// Where a replica finds the decisions the workers take, for its dashboard (the Kafka decisions topic); null shows
    /// none. The embedded server takes its own.
    /// </summary>
    public IDecisionSource? DecisionSource { get; init; }

    /// <summary>Who may call the API (keys, roles, rate limits); by default no key is checked.</summary>
    public Security.AuthSettings Auth { get; init; } = new();

    /// <summary>
    /// The key of the pseudonyms that replace IP addresses and device ids in dead letters and logs, as base64 (the CLI
    /// reads <c>AMLFS_PSEUDONYM_KEY</c>); null uses the data directory's <c>keys/pseudonym.key</c>, made on first use.
    /// Never logged.
    /// </summary>
    public string? PseudonymKey { get; init; }

    /// <summary>How long each store of the data directory keeps its records; the server sweeps at start and every <see cref="RetentionSweepInterval"/>.</summary>
    public Amlfs.Retention.RetentionSettings Retention { get; init; } = new();

    /// <summary>How often the retention sweep runs after the one at start.</summary>
    public TimeSpan RetentionSweepInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Each problem with these settings, naming the setting; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Host))
            errors.Add("host: must not be empty");
        if (Port is < 0 or > 65535)
            errors.Add($"port: must be between 0 and 65535, got {Port}");
        if (string.IsNullOrWhiteSpace(DataDirectory))
            errors.Add("data-dir: must not be empty");
        if (ProducerRate is { } rate && (rate <= 0 || double.IsNaN(rate) || double.IsInfinity(rate)))
            errors.Add($"rate: must be greater than 0, got {rate}");
        if (MaxBatchTransactions < 1)
            errors.Add("max batch: must be at least 1");
        if (IngestQueueCapacity < MaxBatchTransactions)
            errors.Add("ingest queue capacity: must hold at least one full batch");
        if (FeatureLogFlushInterval <= TimeSpan.Zero)
            errors.Add("feature log flush interval: must be positive");
        if (FeatureLogCapacity < 1)
            errors.Add("feature log capacity: must be at least 1");
        if (DecisionFeedCapacity < 1)
            errors.Add($"decision feed capacity: must be at least 1, got {DecisionFeedCapacity}");
        if (ShardCount < 1)
            errors.Add("shards: must be at least 1");
        if (OnlineStore is not null && ProducerRate is not null)
            errors.Add("rate: a replica (--online-store) ingests nothing, so it runs no synthetic producer");
        if (OnlineStore is not null && LogFeatures)
            errors.Add("log-features: not supported by a replica (--online-store), which keeps no files; log features on the embedded server");
        if (OnlineStore is null && DecisionSource is not null)
            errors.Add($"decisions: only a replica (--online-store) reads decisions from {DecisionSource.Name}; the embedded server takes its own");
        errors.AddRange(Auth.Problems());
        errors.AddRange(Retention.Validate());
        if (PseudonymKey is not null)
        {
            try
            {
                Amlfs.Security.PseudonymKey.Parse(PseudonymKey, Amlfs.Security.PseudonymKey.EnvironmentVariable);
            }
            catch (ArgumentException e)
            {
                errors.Add(e.Message);
            }
        }

        if (RetentionSweepInterval <= TimeSpan.Zero)
            errors.Add($"retention sweep interval: must be positive, got {RetentionSweepInterval}");
        return errors;
    }
}
