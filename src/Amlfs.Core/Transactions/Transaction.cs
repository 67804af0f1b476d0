namespace Amlfs.Transactions;

/// <summary>
/// A validated payment transaction. Money is held in integer minor units (cents) and time in UTC milliseconds since the
/// Unix epoch, the two forms the engine computes with; <see cref="Amount"/> and <see cref="Timestamp"/> give the API forms.
/// Build one with <see cref="TransactionValidator"/>, which guarantees every invariant below.
/// </summary>
public sealed record Transaction
{
    /// <summary>Unique id; a repeated id within the retention period is a duplicate.</summary>
    public required string TransactionId { get; init; }

    /// <summary>The paying customer (entity <c>customer</c>).</summary>
    public required string CustomerId { get; init; }

    /// <summary>
    /// The destination (entity <c>merchant</c>): a merchant, or with <see cref="DestinationType"/>
    /// <see cref="DestinationType.Account"/> the receiving account, whose own features then count the transfer as an inflow.
    /// </summary>
    public required string MerchantId { get; init; }

    /// <summary>Whether <see cref="MerchantId"/> names a merchant (the default) or an account.</summary>
    public DestinationType DestinationType { get; init; }

    /// <summary>Amount in minor units (cents), always positive.</summary>
    public required long AmountCents { get; init; }

    /// <summary>ISO 4217 code, upper case; BRL when the caller gave none.</summary>
    public string Currency { get; init; } = TransactionValidator.DefaultCurrency;

    /// <summary>Event time in UTC milliseconds since the Unix epoch.</summary>
    public required long TimestampMs { get; init; }

    /// <summary>IPv4 or IPv6 address in canonical text form, or null when unknown.</summary>
    public string? IpAddress { get; init; }

    public string? Channel { get; init; }

    public string? DeviceId { get; init; }

    /// <summary>ISO 3166-1 alpha-2 country code, upper case.</summary>
    public string? Country { get; init; }

    public string? PaymentFormat { get; init; }

    /// <summary>The amount in currency units, exact to the cent.</summary>
    public decimal Amount => AmountCents / 100m;

    /// <summary>The event time as a UTC instant.</summary>
    public DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeMilliseconds(TimestampMs);
}
