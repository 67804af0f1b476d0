namespace Amlfs.Alerts.Metrics;

/// <summary>What an alert counter counts.</summary>
public enum AlertCounter
{
    /// <summary>Alerts raised, per rule.</summary>
    Raised,

    /// <summary>Alerts delivered, per rule and channel.</summary>
    Delivered,

    /// <summary>Alerts given up on, per rule and channel: every attempt failed, or the channel refused them for good.</summary>
    Failed,

    /// <summary>Alerts not raised because their rule raised one about the same subject within its throttle window, per rule.</summary>
    Throttled,
}
