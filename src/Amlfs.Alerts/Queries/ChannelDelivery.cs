namespace Amlfs.Alerts.Queries;

/// <summary>An alert's delivery to one channel.</summary>
/// <param name="Channel">The channel's name.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="Attempts">Attempts made (in this process, for a pending delivery recovered at start).</param>
/// <param name="SettledAtMs">When it was delivered or given up, UTC milliseconds; null while pending.</param>
/// <param name="LastError">Why the last attempt failed, if it did.</param>
public sealed record ChannelDelivery(string Channel, DeliveryStatus Status, int Attempts, long? SettledAtMs, string? LastError);
