using Amlfs.Decisions;

namespace Amlfs.Alerts;

/// <summary>
/// Something the host hands each batch of raised alerts to, after the outbox has made them durable: the cases, which
/// file every alert about an entity. The host calls subscribers one batch at a time, on the thread that raises alerts;
/// a subscriber must not throw for a failure of its own (it logs it).
/// </summary>
public interface IAlertSubscriber
{
    /// <summary>
    /// The highest alert sequence the subscriber has taken. At start the host hands it the alerts after it that the
    /// outbox recovered (raised before a crash, and never handed over), without their decisions.
    /// </summary>
    long LastAlertSequence { get; }

    /// <summary>
    /// Takes alerts just raised, with the decisions of the batch that raised them (the decision of an alert is the one
    /// whose transaction id it names; empty for alerts recovered at start).
    /// </summary>
    void OnRaised(IReadOnlyList<Alert> alerts, IReadOnlyList<Decision> decisions);
}
