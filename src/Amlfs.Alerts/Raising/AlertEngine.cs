using System.Globalization;
using Amlfs.Alerts.Delivery;
using Amlfs.Alerts.Evaluation;
using Amlfs.Alerts.Metrics;
using Amlfs.Alerts.Outbox;
using Amlfs.Alerts.Queries;
using Amlfs.Alerts.Rules;
using Amlfs.Audit;
using Amlfs.Decisions;
using Microsoft.Extensions.Logging;

namespace Amlfs.Alerts.Raising;

/// <summary>
/// Raises alerts from decisions and system snapshots by the rules of an alerts file, and delivers them. Each alert a
/// rule proposes is deduped (its key raised already, here or before a restart, within the retention) and throttled
/// (its rule raised one about the same subject within the rule's window), then appended to the outbox and fsynced,
/// and only then queued for its channels: an alert raised before a crash is delivered after the restart. With an audit
/// trail, each alert raised is recorded there too (<c>alert.raised</c>, by <c>system</c>).
/// </summary>
/// <remarks>
/// Raising is synchronous and cheap (evaluation in memory plus one fsync per call that raises anything); delivery
/// runs apart, in the background unless <see cref="AlertEngineOptions.DeliverInBackground"/> is off. Delivery is at
/// least once per channel: an alert is delivered again only when the process stopped between a channel accepting it
/// and the outbox recording that, and then it carries the same dedupe key. Thread-safe.
/// </remarks>
public sealed partial class AlertEngine : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly AlertRuleSet _rules;
    private readonly Dictionary<string, AlertRule> _rulesByName;
    private readonly DecisionEvaluator _decisions;
    private readonly SystemEvaluator _system;
    private readonly AlertGate _gate;
    private readonly AlertOutbox _outbox;
    private readonly AlertDispatcher _dispatcher;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IAuditTrail? _audit;
    private long _sequence;

    private AlertEngine(
        AlertEngineOptions options, AlertRuleSet rules, IReadOnlyDictionary<string, IAlertChannel> channels, AlertOutbox outbox,
        TimeProvider time, ILogger logger, Random random, IAuditTrail? audit)
    {
        _audit = audit;
        _rules = rules;
        _rulesByName = rules.Rules.ToDictionary(r => r.Name, StringComparer.Ordinal);
        _decisions = new DecisionEvaluator(rules.Rules, options.AllowedLateness);
        _system = new SystemEvaluator(rules.Rules);
        _gate = new AlertGate((long)options.DedupeRetention.TotalMilliseconds);
        _outbox = outbox;
        _time = time;
        _logger = logger;
        Recent = new RecentAlerts(options.RecentCapacity);
        Metrics = new AlertMetrics();
        _dispatcher = new AlertDispatcher(channels, rules, outbox, Recent, Metrics, time, logger, random);
    }

    /// <summary>The newest alerts with their deliveries, for the dashboard; filled from the outbox at start.</summary>
    public RecentAlerts Recent { get; }

    /// <summary>The counters: raised, delivered, failed and throttled, per rule (and channel).</summary>
    public AlertMetrics Metrics { get; }

    /// <summary>Deliveries not settled yet (due now, or waiting for a retry).</summary>
    public int PendingDeliveries => _dispatcher.PendingCount;

    /// <summary>
    /// Opens the outbox in <see cref="AlertEngineOptions.DataDirectory"/>, recovers its alerts (dedupe keys, throttles,
    /// recent alerts, and the deliveries still to make), and starts delivering.
    /// </summary>
    /// <param name="options">The engine's settings; validated here.</param>
    /// <param name="rules">The alerts file, read by <see cref="AlertRuleSet.Load"/>.</param>
    /// <param name="channels">
    /// A channel for every channel the file declares, by name; <see cref="AlertChannels.Create"/> builds them.
    /// </param>
    /// <param name="time">The clock: alert times, throttle windows, <c>for:</c> durations, back-off.</param>
    /// <param name="loggerFactory">Where the engine logs.</param>
    /// <param name="random">The jitter of back-off; null for a shared one.</param>
    /// <param name="audit">Where each alert raised is recorded (<see cref="AuditActions.AlertRaised"/>); null for nowhere.</param>
    /// <exception cref="ArgumentException">The options are invalid, or a declared channel has no implementation.</exception>
    /// <exception cref="Storage.DataDirectoryInUseException">Another engine has the outbox open.</exception>
    public static AlertEngine Open(
        AlertEngineOptions options, AlertRuleSet rules, IReadOnlyDictionary<string, IAlertChannel> channels, TimeProvider time,
        ILoggerFactory loggerFactory, Random? random = null, IAuditTrail? audit = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        if (options.Validate() is { Count: > 0 } problems)
            throw new ArgumentException("invalid alert engine options: " + string.Join("; ", problems), nameof(options));
        if (rules.Channels.FirstOrDefault(c => !channels.ContainsKey(c.Name)) is { } missing)
            throw new ArgumentException($"alert channel '{missing.Name}' has no implementation", nameof(channels));

        var logger = loggerFactory.CreateLogger<AlertEngine>();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var outbox = AlertOutbox.Open(options.DataDirectory, (long)options.DedupeRetention.TotalMilliseconds, now, out var contents);
        AlertEngine engine;
        try
        {
            engine = new AlertEngine(options, rules, channels, outbox, time, logger, random ?? Random.Shared, audit);
            engine.Recover(contents);
        }
        catch
        {
            outbox.Dispose();
            throw;
        }

        if (options.DeliverInBackground)
            engine._dispatcher.Start();
        return engine;
    }

    /// <summary>Runs the decision rules over a batch of decisions, in log order; the alerts raised.</summary>
    public IReadOnlyList<Alert> OnDecisions(IReadOnlyList<Decision> decisions)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        var inputs = new DecisionInput[decisions.Count];
        for (var i = 0; i < inputs.Length; i++)
            inputs[i] = new DecisionInput(decisions[i]);
        return OnDecisions(inputs);
    }

    /// <summary>
    /// Runs the decision rules over a batch of decisions with their feature vectors where the host has them, in log
    /// order; the alerts raised.
    /// </summary>
    public IReadOnlyList<Alert> OnDecisions(IReadOnlyList<DecisionInput> decisions)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        var candidates = new List<Alert>();
        lock (_lock)
        {
            foreach (var decision in decisions)
                _decisions.Evaluate(decision, candidates);
            return Raise(candidates);
        }
    }

    /// <summary>Runs the system rules over a snapshot taken now; the alerts raised.</summary>
    public IReadOnlyList<Alert> OnSystem(SystemSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var candidates = new List<Alert>();
        lock (_lock)
        {
            _system.Evaluate(snapshot, NowMs, candidates);
            return Raise(candidates);
        }
    }

    /// <summary>
    /// Makes one attempt at every delivery that is due now; the number of attempts. The background task does this by
    /// itself; a host that turned it off (or a test) calls it.
    /// </summary>
    public Task<int> DeliverDueAsync(CancellationToken cancellationToken = default) => _dispatcher.DeliverDueAsync(cancellationToken);

    /// <summary>
    /// Stops delivering (an attempt under way is cancelled and stays pending) and closes the outbox. What is pending is
    /// delivered at the next start.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _dispatcher.DisposeAsync().ConfigureAwait(false);
        _outbox.Dispose();
        Metrics.Dispose();
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private List<Alert> Raise(List<Alert> candidates)
    {
        var raised = new List<Alert>();
        if (candidates.Count == 0)
            return raised;
        var now = NowMs;
        foreach (var candidate in candidates)
        {
            var rule = _rulesByName[candidate.Rule];
            switch (_gate.Admit(candidate, rule.Throttle, now))
            {
                case AlertVerdict.Throttled:
                    Metrics.Add(AlertCounter.Throttled, rule.Name);
                    break;
                case AlertVerdict.Raise:
                    raised.Add(candidate with { Sequence = ++_sequence, RaisedAtMs = now, Channels = rule.Channels });
                    break;
            }
        }

        try
        {
            _outbox.AppendRaised(raised);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Still delivered from memory: an alert that cannot be made durable is better sent than dropped.
            LogOutboxWriteFailed(_logger, raised.Count, e);
        }

        foreach (var alert in raised)
        {
            Audit(alert);
            Recent.Add(alert);
            Metrics.Add(AlertCounter.Raised, alert.Rule);
            LogAlertRaised(_logger, alert.Sequence, alert.Rule, alert.DedupeKey, alert.Summary);
            if (alert.Channels.Count > 0)
                _dispatcher.Enqueue(alert, alert.Channels);
        }

        return raised;
    }

    /// <summary>
    /// Records a raised alert in the audit trail: subject <c>RULE:SUBJECT</c>, details the decision behind it. An alert
    /// cannot be taken back, so a record that cannot be kept is logged as an error and the alert goes on.
    /// </summary>
    private void Audit(Alert alert)
    {
        if (_audit is null)
            return;
        var details = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["alert"] = alert.Sequence.ToString(CultureInfo.InvariantCulture),
            ["rule"] = alert.Rule,
            ["level"] = alert.Level switch { AlertLevel.Info => "info", AlertLevel.Warning => "warning", _ => "critical" },
            ["entity"] = alert.Subject,
            ["dedupe_key"] = alert.DedupeKey,
        };
        Add(details, "transaction_id", alert.TransactionId);
        Add(details, "score", alert.Score?.ToString("R", CultureInfo.InvariantCulture));
        Add(details, "risk_level", alert.RiskLevel switch { null => null, Scoring.RiskLevel.Low => "LOW", Scoring.RiskLevel.Medium => "MEDIUM", _ => "HIGH" });
        Add(details, "model_version", alert.ModelVersion);
        Add(details, "value", alert.Value?.ToString("R", CultureInfo.InvariantCulture));
        Add(details, "threshold", alert.Threshold?.ToString("R", CultureInfo.InvariantCulture));
        try
        {
            _audit.Record("system", AuditActions.AlertRaised, alert.Rule + ":" + alert.Subject, details);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            LogAuditFailed(_logger, alert.Sequence, alert.Rule, e);
        }

        static void Add(Dictionary<string, string?> details, string key, string? value)
        {
            if (value is not null)
                details[key] = value;
        }
    }

    private void Recover(OutboxContents contents)
    {
        _sequence = contents.LastSequence;
        if (contents.TornBytes > 0)
            LogOutboxTailCut(_logger, contents.TornBytes, _outbox.Path);
        var pending = 0;
        foreach (var entry in contents.Alerts)
        {
            _gate.Recover(entry.Alert);
            Recent.Add(entry.Alert);
            foreach (var outcome in entry.Outcomes.Values)
                Recent.Update(entry.Alert.Sequence, new ChannelDelivery(outcome.Channel, outcome.Status, outcome.Attempts, outcome.AtMs, outcome.Error));

            var unsettled = new List<string>();
            foreach (var channel in entry.Unsettled)
            {
                if (_rules.Channel(channel) is null)
                {
                    LogChannelGone(_logger, entry.Alert.Sequence, channel);
                    _outbox.AppendOutcome(new OutboxOutcome(entry.Alert.Sequence, channel, DeliveryStatus.Failed, NowMs, 0, "channel no longer declared"));
                    Recent.Update(entry.Alert.Sequence, new ChannelDelivery(channel, DeliveryStatus.Failed, 0, NowMs, "channel no longer declared"));
                }
                else
                {
                    unsettled.Add(channel);
                }
            }

            if (unsettled.Count > 0)
            {
                _dispatcher.Enqueue(entry.Alert, unsettled);
                pending += unsettled.Count;
            }
        }

        LogOutboxRecovered(_logger, contents.Alerts.Count, pending, contents.Dropped);
    }
}
