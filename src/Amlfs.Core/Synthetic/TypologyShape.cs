namespace Amlfs.Synthetic;

/// <summary>
/// How often one typology is injected and the ranges its instances draw their shape from. Every typology reads the
/// parameters that make sense for it (<see cref="TypologyConfig.KeysOf"/> lists them); the others stay at their
/// zero value. Amounts are in cents and durations in milliseconds, the units the generator computes with.
/// </summary>
public sealed record TypologyShape
{
    /// <summary>Expected instances per 1,000 customers per day; the count of a day is Poisson-distributed around it.</summary>
    public double Rate { get; init; }

    /// <summary>Transactions of one instance, for the typologies of a single customer.</summary>
    public ShapeRange<int> Transactions { get; init; }

    /// <summary>Accounts of one instance: a degree, the size of a group, or the customers sharing an address.</summary>
    public ShapeRange<int> Accounts { get; init; }

    /// <summary>Hops of a cycle, bipartite layers of a stack, or mules of a pass-through chain.</summary>
    public ShapeRange<int> Hops { get; init; }

    /// <summary>Distinct IP addresses of an account takeover.</summary>
    public ShapeRange<int> Addresses { get; init; }

    /// <summary>The amount of a transaction, or of the first hop when later hops pass it on less fees, in cents.</summary>
    public ShapeRange<long> AmountCents { get; init; }

    /// <summary>Time from an instance's first transaction to its last (for a mule, its collection window), in ms.</summary>
    public ShapeRange<long> SpanMs { get; init; }

    /// <summary>Time a mule holds money before it sends it on, in ms.</summary>
    public ShapeRange<long> DelayMs { get; init; }

    /// <summary>Share of an amount each intermediate keeps (or loses to fees) before passing the rest on.</summary>
    public ShapeRange<double> Fee { get; init; }

    /// <summary>Share of instances whose amounts are round figures (whole tens or hundreds of reais).</summary>
    public double RoundShare { get; init; }

    /// <summary>Share of instances whose amounts lie just under the R$ 10,000 reporting threshold.</summary>
    public double NearThresholdShare { get; init; }

    /// <summary>Share of instances whose money ends at a merchant (a crypto exchange or money transfer) instead of an account.</summary>
    public double MerchantShare { get; init; }

    /// <summary>Share of participating accounts that are fresh: opened for the scheme, with no profile and no normal activity.</summary>
    public double FreshAccounts { get; init; }
}
