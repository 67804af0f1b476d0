namespace Amlfs.Alerts.Queries;

/// <summary>Where an alert's delivery to one channel stands.</summary>
public enum DeliveryStatus
{
    /// <summary>Not delivered yet: the next attempt is due, or the process stopped before it.</summary>
    Pending,

    Delivered,

    /// <summary>Given up: every attempt failed, or the channel refused the alert for good.</summary>
    Failed,
}
