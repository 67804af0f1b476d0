using Amlfs.Alerts.Queries;

namespace Amlfs.Alerts.Outbox;

/// <summary>The outbox record that settles an alert's delivery to one channel: delivered, or given up on.</summary>
internal sealed record OutboxOutcome(long Sequence, string Channel, DeliveryStatus Status, long AtMs, int Attempts, string? Error);
