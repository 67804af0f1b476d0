namespace Amlfs.Alerts.Delivery;

/// <summary>
/// Where alerts go. One attempt per call: the engine retries with back-off and records the outcome. An attempt that
/// throws (other than for cancellation) counts as one worth retrying.
/// </summary>
public interface IAlertChannel
{
    /// <summary>The channel's name in the alerts file.</summary>
    string Name { get; }

    /// <summary>Makes one attempt to deliver <paramref name="alert"/>.</summary>
    Task<DeliveryResult> SendAsync(Alert alert, CancellationToken cancellationToken);
}
