namespace Amlfs.Server.Dashboard.Contracts;

/// <summary>An alert's delivery to one channel: pending, delivered or failed, after how many attempts, and the last error.</summary>
internal sealed record AlertDeliveryView(string Channel, string Status, int Attempts, DateTimeOffset? SettledAt, string? LastError);
