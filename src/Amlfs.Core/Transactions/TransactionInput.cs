namespace Amlfs.Transactions;

/// <summary>
/// A transaction as a caller sent it, before validation: every field may be missing or wrong.
/// <see cref="TransactionValidator.Validate"/> turns it into a <see cref="Transaction"/> or a list of field errors.
/// </summary>
public sealed record TransactionInput
{
    public string? TransactionId { get; init; }
    public string? CustomerId { get; init; }
    public string? MerchantId { get; init; }
    public decimal? Amount { get; init; }
    public string? Currency { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
    public string? IpAddress { get; init; }
    public string? Channel { get; init; }
    public string? DeviceId { get; init; }
    public string? Country { get; init; }
    public string? PaymentFormat { get; init; }
    public string? DestinationType { get; init; }
}
