namespace Amlfs.OfflineStore;

/// <summary>
/// The typology vocabulary of the offline store, as it appears in <see cref="LabeledTransaction.Typology"/> and in the
/// <c>typology</c> column: the empty string for a normal or unlabelled transaction, and the laundering typologies the
/// synthetic generator injects (an importer names its dataset's own).
/// </summary>
public static class Typologies
{
    /// <summary>The label of a normal transaction.</summary>
    public const string None = "";

    /// <summary>Dozens of transactions of one customer within a minute (card testing, scripted draining).</summary>
    public const string Burst = "burst";

    /// <summary>Many amounts just under the R$ 10,000 reporting threshold, from one customer over hours.</summary>
    public const string Structuring = "structuring";

    /// <summary>Account takeover or a mule account: more than three distinct IP addresses within an hour.</summary>
    public const string MultipleIps = "multiple_ips";

    /// <summary>Many transactions of one customer at local night (22:00 to 06:00).</summary>
    public const string NightActivity = "night_activity";

    /// <summary>Amounts far above R$ 10,000 (R$ 15,000 and more).</summary>
    public const string HighValue = "high_value";

    /// <summary>Many customers, none of whom paid the merchant before, paying one merchant within minutes.</summary>
    public const string MerchantFanIn = "merchant_fan_in";

    /// <summary>One IP address used by many different customers within hours (a mule farm or a proxy).</summary>
    public const string SharedIp = "shared_ip";

    /// <summary>Every typology, in the order summaries list them.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Burst, Structuring, MultipleIps, NightActivity, HighValue, MerchantFanIn, SharedIp];
}
