namespace Amlfs.Synthetic;

/// <summary>
/// A synthetic customer's habits, from which the generator draws the customer's normal transactions. Injected
/// typologies deliberately break these habits (new IPs, night hours, unusual merchants and amounts).
/// </summary>
public sealed record CustomerProfile
{
    /// <summary><c>CUST_000001</c> onwards.</summary>
    public required string CustomerId { get; init; }

    /// <summary>One to three home addresses (IPv4 or IPv6, canonical text) that most transactions come from.</summary>
    public required IReadOnlyList<string> HomeIps { get; init; }

    public required string DeviceId { get; init; }

    /// <summary>ISO 3166-1 alpha-2 code; BR for almost every customer.</summary>
    public required string Country { get; init; }

    public required string City { get; init; }

    /// <summary>The channel the customer prefers when the merchant accepts it (pix, card, boleto or ted).</summary>
    public required string Channel { get; init; }

    /// <summary>The handful of merchants the customer pays most often, most frequent first.</summary>
    public required IReadOnlyList<string> HabitualMerchants { get; init; }

    /// <summary>Median of the customer's log-normal amounts at a merchant of scale 1 (a grocery), in cents.</summary>
    public required long MedianAmountCents { get; init; }

    /// <summary>Standard deviation of the logarithm of the customer's amounts.</summary>
    public required double AmountSigma { get; init; }

    /// <summary>Expected normal transactions on a weekday.</summary>
    public required double DailyTransactions { get; init; }

    /// <summary>How many hours later (positive) or earlier (negative) than the population the customer's day runs.</summary>
    public required int RhythmShiftHours { get; init; }
}
