namespace Amlfs.Alerts.Delivery;

/// <summary>The result of one attempt to deliver an alert to a channel.</summary>
/// <param name="Delivered">The channel accepted the alert.</param>
/// <param name="Permanent">The channel refused it for a reason a retry cannot change (a bad request, a bad address).</param>
/// <param name="Error">Why it was not delivered.</param>
public readonly record struct DeliveryResult(bool Delivered, bool Permanent, string? Error)
{
    public static DeliveryResult Success => new(true, false, null);

    /// <summary>Not delivered this time; worth another attempt.</summary>
    public static DeliveryResult Retry(string error) => new(false, false, error);

    /// <summary>Refused for good; no further attempt.</summary>
    public static DeliveryResult Refused(string error) => new(false, true, error);
}
