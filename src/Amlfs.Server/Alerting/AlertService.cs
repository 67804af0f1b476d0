using System.Threading.Channels;
using Amlfs.Alerts.Delivery;
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
/// recorded) never holds up the decision stream. Its counters go to <c>/metrics</c> as <c>amlfs_alerts_total</c>.
/// </summary>
internal sealed partial class AlertService : BackgroundService
{
    private readonly Channel<IReadOnlyList<Decision>> _decisions =
        Channel.CreateBounded<IReadOnlyList<Decision>>(new BoundedChannelOptions(4096) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    private readonly DecisionFeed _feed;
    private readonly SystemSignals _signals;
    private readonly TimeProvider _clock;
    private readonly ILogger<AlertService> _logger;
    private long _dropped;
    private int _stopped;

    public AlertService(
        ServerSettings settings, DecisionFeed feed, SystemSignals signals, ServerMetrics metrics, TimeProvider clock, ILoggerFactory loggers, IAuditTrail audit)
    {
        _feed = feed;
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
                    Engine.OnDecisions(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Stopping: the decisions already published still raise their alerts, which the outbox keeps for delivery.
        while (_decisions.Reader.TryRead(out var batch))
            Engine.OnDecisions(batch);
    }

    [LoggerMessage(EventId = Logging.AmlfsEventId.AlertDecisionsDropped, Level = LogLevel.Warning,
        Message = "Alerts: {Count} decisions were not evaluated, the alert queue being full; later drops are counted, not logged")]
    private static partial void LogDecisionsDropped(ILogger logger, int count);
}
