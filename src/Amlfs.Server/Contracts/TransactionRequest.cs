using Amlfs.Transactions;

namespace Amlfs.Server.Contracts;

/// <summary>A transaction as JSON carries it (snake_case); every field may be missing or wrong until validated.</summary>
public class TransactionRequest
{
    /// <summary>Unique id; a repeated id within the dedup retention is a duplicate.</summary>
    public string? TransactionId { get; set; }

    public string? CustomerId { get; set; }

    /// <summary>The destination: a merchant, or with <see cref="DestinationType"/> <c>account</c> the receiving account.</summary>
    public string? MerchantId { get; set; }

    /// <summary><c>merchant</c> (the default) or <c>account</c>: a transfer to another account, which counts it as an inflow.</summary>
    public string? DestinationType { get; set; }

    /// <summary>Amount in currency units, greater than 0, at most two decimals.</summary>
    public decimal? Amount { get; set; }

    /// <summary>ISO 4217 code; BRL when omitted.</summary>
    public string? Currency { get; set; }

    /// <summary>Event time, an ISO-8601 instant; the receive time when omitted. Without an offset it is read as UTC.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>
    /// IPv4 or IPv6 address, optional. It names the entity of a type joined on <c>ip_address</c>; a transaction without
    /// one reaches none, and a score without one reads that entity as unknown.
    /// </summary>
    public string? IpAddress { get; set; }

    public string? Channel { get; set; }

    /// <summary>The device paid from, optional; it names the entity of a type joined on <c>device_id</c>, as <see cref="IpAddress"/> does.</summary>
    public string? DeviceId { get; set; }

    /// <summary>ISO 3166-1 alpha-2 code.</summary>
    public string? Country { get; set; }

    public string? PaymentFormat { get; set; }

    internal TransactionInput ToInput() => new()
    {
        TransactionId = TransactionId,
        CustomerId = CustomerId,
        MerchantId = MerchantId,
        Amount = Amount,
        Currency = Currency,
        Timestamp = Timestamp,
        IpAddress = IpAddress,
        Channel = Channel,
        DeviceId = DeviceId,
        Country = Country,
        PaymentFormat = PaymentFormat,
        DestinationType = DestinationType,
    };
}
