using System.Threading.Channels;
using Amlfs.Alerts;
using Amlfs.Alerts.Delivery;
using Amlfs.Alerts.Queries;
using Amlfs.Alerts.Raising;
using Amlfs.Alerts.Rules;
using Amlfs.Audit;
using Amlfs.Decisions;
using Amlfs.Server.Decisions;
using Amlfs.Server.Hosting;
using Amlfs.Server.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Alerting;

/// <summary>
/// Runs the alert rules of the process (<see cref="AlertEngine"/>, with its outbox in <c>DATA/alerts</c>): the decision
/// rules over every batch the <see cref="DecisionFeed"/> publishes, and the system rules over a snapshot of the
/// process's signals every second (<see cref="SystemSignals"/>). Decisions are queued from the feed's subscriber and
/// evaluated here, so that raising an alert (an fsync of the outbox, and of the audit trail, where each alert raised is
/// recorded) never holds up the decision stream. Its counters go to <c>/metrics</c> as <c>amlfs_alerts_total</c>. Each batch of raised alerts is then handed to the
/// <see cref="IAlertSubscriber"/>s registered (the cases); at start, those are first handed the alerts the outbox
/// recovered that they had not taken, so that a crash between the outbox and a subscriber loses nothing.
/// </summary>
internal sealed partial class AlertService : BackgroundService
{
    private readonly Channel<IReadOnlyList<Decision>> _decisions =
        Channel.CreateBounded<IReadOnlyList<Decision>>(new BoundedChannelOptions(4096) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    private readonly DecisionFeed _feed;
    private readonly SystemSignals _signals;
    private readonly TimeProvider _clock;
    private readonly IAlertSubscriber[] _subscribers;
    private readonly ILogger<AlertService> _logger;
    private long _dropped;
    private int _stopped;

    public AlertService(
        ServerSettings settings, DecisionFeed feed, SystemSignals signals, ServerMetrics metrics, TimeProvider clock, ILoggerFactory loggers, IAuditTrail audit,
        IEnumerable<IAlertSubscriber> subscribers)
    {
        _feed = feed;
        _subscribers = [.. subscribers];
        _signals = signals;
        _clock = clock;
        _logger = loggers.CreateLogger<AlertService>();
        var rules = settings.AlertRules ?? AlertRuleSet.Default;
        Http = new HttpClient();
        Engine = AlertEngine.Open(new AlertEngineOptions { DataDirectory = settings.DataDirectory }, rules, AlertChannels.Create(rules, Http, clock), clock, loggers, audit: audit);
        metrics.ObserveAlerts(Engine.Metrics);
    }

    /// <summary>The engine: its recent alerts for the dashboard, its counters.</summary>
    public AlertEngine Engine { get; }

    /// <summary>Decision batches the queue dropped because evaluation fell behind (their alerts were not raised).</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    private HttpClient Http { get; }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        // The host may stop a service twice (a stop, then the disposal of the host): the engine closes once.
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
            return;
        await Engine.DisposeAsync().ConfigureAwait(false);
        Http.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        HandOverRecovered();
        using var subscription = _feed.Subscribe(batch =>
        {
            if (!_decisions.Writer.TryWrite(batch) && Interlocked.Increment(ref _dropped) == 1)
                LogDecisionsDropped(_logger, batch.Count);
        });
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _clock);
        var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var read = _decisions.Reader.WaitToReadAsync(stoppingToken).AsTask();
                if (await Task.WhenAny(read, tick).ConfigureAwait(false) == tick)
                {
                    if (!await tick.ConfigureAwait(false))
                        break;
                    Engine.OnSystem(await _signals.ReadAsync(stoppingToken).ConfigureAwait(false));
                    tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                }

                while (_decisions.Reader.TryRead(out var batch))
                    Publish(Engine.OnDecisions(batch), batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Stopping: the decisions already published still raise their alerts, which the outbox keeps for delivery.
        while (_decisions.Reader.TryRead(out var batch))
            Publish(Engine.OnDecisions(batch), batch);
    }

    private void Publish(IReadOnlyList<Alert> raised, IReadOnlyList<Decision> batch)
    {
        if (raised.Count == 0)
            return;
        foreach (var subscriber in _subscribers)
            subscriber.OnRaised(raised, batch);
    }

    /// <summary>Hands each subscriber the recovered alerts after the last one it took, oldest first.</summary>
    private void HandOverRecovered()
    {
        foreach (var subscriber in _subscribers)
        {
            var after = subscriber.LastAlertSequence;
            var missed = new List<Alert>();
            long? before = null;
            while (true)
            {
                var page = Engine.Recent.Query(new AlertQuery { BeforeSequence = before, Limit = 256 });
                missed.AddRange(page.Select(r => r.Alert).Where(a => a.Sequence > after));
                if (page.Count < 256 || page[^1].Alert.Sequence <= after)
                    break;
                before = page[^1].Alert.Sequence;
            }

            if (missed.Count > 0)
                subscriber.OnRaised([.. missed.OrderBy(a => a.Sequence)], []);
        }
    }

    [LoggerMessage(EventId = Logging.AmlfsEventId.AlertDecisionsDropped, Level = LogLevel.Warning,
        Message = "Alerts: {Count} decisions were not evaluated, the alert queue being full; later drops are counted, not logged")]
    private static partial void LogDecisionsDropped(ILogger logger, int count);
}
