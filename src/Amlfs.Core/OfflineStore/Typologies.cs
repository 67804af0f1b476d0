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

    /// <summary>Many accounts paying one account (AMLworld and AMLSim "fan-in").</summary>
    public const string FanIn = "fan_in";

    /// <summary>One account paying many accounts ("fan-out").</summary>
    public const string FanOut = "fan_out";

    /// <summary>Money returning to the account it left through a chain of transfers, each after the one before it.</summary>
    public const string Cycle = "cycle";

    /// <summary>A source pays several intermediate accounts, which all pay one destination ("scatter-gather").</summary>
    public const string ScatterGather = "scatter_gather";

    /// <summary>Several sources pay one account, which pays several destinations ("gather-scatter").</summary>
    public const string GatherScatter = "gather_scatter";

    /// <summary>One group of accounts paying another group, many to many ("bipartite").</summary>
    public const string Bipartite = "bipartite";

    /// <summary>Layers of bipartite transfers stacked one after another ("stack").</summary>
    public const string Stack = "stack";

    /// <summary>A mule account that receives money and sends most of it on within hours.</summary>
    public const string MulePassThrough = "mule_pass_through";

    /// <summary>Transfers along a random walk of accounts (AMLworld and AMLSim "random").</summary>
    public const string RandomWalk = "random";

    /// <summary>
    /// The typologies whose money moves along a path of accounts: the ones graph features are for, and the ones
    /// <c>docs/graph.md</c> measures recall on.
    /// </summary>
    public static IReadOnlyList<string> Graph { get; } =
        [FanIn, FanOut, Cycle, ScatterGather, GatherScatter, Bipartite, Stack, MulePassThrough];

    /// <summary>
    /// Every typology the synthetic generator injects, in the order summaries list them: the typologies of one
    /// customer's payments, then <see cref="Graph"/>. (<see cref="RandomWalk"/> is an importer's name only.)
    /// </summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Burst, Structuring, MultipleIps, NightActivity, HighValue, MerchantFanIn, SharedIp,
        FanIn, FanOut, Cycle, ScatterGather, GatherScatter, Bipartite, Stack, MulePassThrough,
    ];
}
