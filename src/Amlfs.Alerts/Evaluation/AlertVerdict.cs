namespace Amlfs.Alerts.Evaluation;

/// <summary>What the gate decided about a proposed alert.</summary>
internal enum AlertVerdict
{
    Raise,

    /// <summary>Its dedupe key was raised already (in this process or, from the outbox, before a restart).</summary>
    Duplicate,

    /// <summary>The rule raised an alert about the same subject within its throttle window.</summary>
    Throttled,
}
