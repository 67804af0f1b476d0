namespace Amlfs.Alerts.Queries;

/// <summary>An alert as the recent-alerts store holds it: the alert and its delivery to each of its channels.</summary>
public sealed record RaisedAlert(Alert Alert, IReadOnlyList<ChannelDelivery> Deliveries);
