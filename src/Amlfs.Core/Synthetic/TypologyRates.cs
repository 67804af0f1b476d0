using Amlfs.OfflineStore;

namespace Amlfs.Synthetic;

/// <summary>
/// How often each typology is injected: the expected number of instances per 1,000 customers per day (the count of a
/// day is Poisson-distributed around it). One instance is a whole pattern, so it adds many transactions: a burst 20 to
/// 60, structuring 5 to 15, multiple IPs 8 to 20, night activity 10 to 25, high value 1 to 3, a merchant fan-in 20 to 60
/// and a shared IP 10 to 30 (each at most the number of customers). The defaults label about 2% of transactions as
/// suspicious at the default <see cref="SyntheticOptions.DailyTransactions"/>.
/// </summary>
public sealed record TypologyRates
{
    public double Burst { get; init; } = 0.4;
    public double Structuring { get; init; } = 0.8;
    public double MultipleIps { get; init; } = 0.6;
    public double NightActivity { get; init; } = 0.6;
    public double HighValue { get; init; } = 3.0;
    public double MerchantFanIn { get; init; } = 0.25;
    public double SharedIp { get; init; } = 0.4;

    /// <summary>No typology at all: a purely normal history.</summary>
    public static TypologyRates Zero { get; } = new()
    {
        Burst = 0,
        Structuring = 0,
        MultipleIps = 0,
        NightActivity = 0,
        HighValue = 0,
        MerchantFanIn = 0,
        SharedIp = 0,
    };

    /// <summary>The rate of the typology named <paramref name="typology"/> (one of <see cref="Typologies.All"/>).</summary>
    public double Of(string typology) => typology switch
    {
        Typologies.Burst => Burst,
        Typologies.Structuring => Structuring,
        Typologies.MultipleIps => MultipleIps,
        Typologies.NightActivity => NightActivity,
        Typologies.HighValue => HighValue,
        Typologies.MerchantFanIn => MerchantFanIn,
        Typologies.SharedIp => SharedIp,
        _ => throw new ArgumentException($"unknown typology '{typology}'", nameof(typology)),
    };

    /// <summary>Every rate multiplied by <paramref name="factor"/>.</summary>
    public TypologyRates Scaled(double factor) => new()
    {
        Burst = Burst * factor,
        Structuring = Structuring * factor,
        MultipleIps = MultipleIps * factor,
        NightActivity = NightActivity * factor,
        HighValue = HighValue * factor,
        MerchantFanIn = MerchantFanIn * factor,
        SharedIp = SharedIp * factor,
    };
}
