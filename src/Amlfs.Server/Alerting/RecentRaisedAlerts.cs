using Amlfs.Alerts.Queries;
using Amlfs.Alerts.Raising;
using Amlfs.Alerts.Rules;
using Amlfs.Server.Contracts;
using Amlfs.Server.Dashboard;
using Amlfs.Server.Dashboard.Contracts;

namespace Amlfs.Server.Alerting;

/// <summary>
/// The dashboard's view of the alerts the rules raised: the engine's recent alerts (<see cref="AlertEngine.Recent"/>,
/// filled from the outbox at start), read a page at a time, newest first, until the list is full.
/// </summary>
internal sealed class RecentRaisedAlerts(AlertService service, TypologySignals signals) : IRaisedAlerts
{
    /// <summary>Alerts read from the engine at a time: a filter that matches few reads on, a page at a time.</summary>
    private const int PageSize = 256;

    public bool Enabled => true;

    public int Held => service.Engine.Recent.Count;

    public long Newest => service.Engine.Recent.Query(new AlertQuery { Limit = 1 }) is [var newest] ? newest.Alert.Sequence : 0;

    public IReadOnlyList<RaisedAlertView> Find(Func<RaisedAlertView, bool> filter, int limit)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var found = new List<RaisedAlertView>();
        long? before = null;
        while (found.Count < limit)
        {
            var page = service.Engine.Recent.Query(new AlertQuery { BeforeSequence = before, Limit = PageSize });
            foreach (var raised in page)
            {
                var view = View(raised);
                if (filter(view) && found.Count < limit)
                    found.Add(view);
            }

            if (page.Count < PageSize)
                break;
            before = page[^1].Alert.Sequence;
        }

        return found;
    }

    private RaisedAlertView View(RaisedAlert raised)
    {
        var alert = raised.Alert;
        return new RaisedAlertView
        {
            Sequence = alert.Sequence,
            Rule = alert.Rule,
            Kind = alert.Kind.Name(),
            Severity = alert.Level switch
            {
                AlertLevel.Info => "info",
                AlertLevel.Warning => "warning",
                _ => "critical",
            },
            Subject = alert.Subject,
            Message = alert.Summary,
            RaisedAt = DateTimeOffset.FromUnixTimeMilliseconds(alert.RaisedAtMs),
            Value = alert.Value,
            Threshold = alert.Threshold,
            TransactionId = alert.TransactionId,
            CustomerId = alert.CustomerId,
            MerchantId = alert.MerchantId,
            EventTime = alert.EventTimeMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
            ModelVersion = alert.ModelVersion,
            Level = alert.RiskLevel?.WireName(),
            Score = alert.Score,
            Signal = alert.Typology ?? alert.Signals.Select(signals.Of).FirstOrDefault(s => s is not null),
            Features = [.. alert.Signals.Select(TypologySignals.FeatureOf)],
            Delivery = Delivery(raised.Deliveries),
            Deliveries = [.. raised.Deliveries.Select(d => new AlertDeliveryView(
                d.Channel, Status(d.Status), d.Attempts, d.SettledAtMs is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null, d.LastError))],
        };
    }

    /// <summary>The delivery as one word: failed when a channel gave up, else pending while one is, else delivered.</summary>
    private static string Delivery(IReadOnlyList<ChannelDelivery> deliveries) =>
        deliveries.Count == 0 ? "recorded"
        : deliveries.Any(d => d.Status == DeliveryStatus.Failed) ? Status(DeliveryStatus.Failed)
        : deliveries.Any(d => d.Status == DeliveryStatus.Pending) ? Status(DeliveryStatus.Pending)
        : Status(DeliveryStatus.Delivered);

    private static string Status(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Pending => "pending",
        DeliveryStatus.Delivered => "delivered",
        _ => "failed",
    };
}
