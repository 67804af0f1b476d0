using System.Globalization;

namespace Amlfs.Scoring;

/// <summary>
/// The settable scalars of <see cref="RulesModelSettings"/> by the key <c>risk-model.yaml</c> gives them. The file
/// path of a key is <c>section.key</c> and its environment variable <c>AMLFS_RISK_</c> + the key in upper case, so the
/// file, the environment and the validation messages all use one name.
/// </summary>
internal static class RulesModelKeys
{
    public const string EnvironmentPrefix = "AMLFS_RISK_";

    public const string WeightPrefix = EnvironmentPrefix + "WEIGHT_";

    public const string NormalizerPrefix = EnvironmentPrefix + "NORMALIZER_";

    public static readonly string[] Rules =
    [
        "high_amount_threshold", "high_amount_increment", "elevated_amount_threshold", "elevated_amount_increment",
        "max_unique_ips", "unique_ips_increment", "velocity_threshold", "velocity_increment",
        "deviation_threshold", "deviation_increment", "night_count_threshold", "night_count_increment",
    ];

    public static readonly string[] Levels = ["medium_threshold", "high_threshold"];

    /// <summary>Every scalar key with its path: version, the rules and the levels.</summary>
    public static IEnumerable<(string Key, string Path)> All =>
        new[] { ("version", "version") }
            .Concat(Rules.Select(k => (k, "rules." + k)))
            .Concat(Levels.Select(k => (k, "levels." + k)));

    public static string Variable(string key) => EnvironmentPrefix + key.ToUpperInvariant();

    /// <summary>The settings with <paramref name="key"/> set from <paramref name="text"/>, or the reason it cannot be.</summary>
    public static (RulesModelSettings? Settings, string? Error) With(RulesModelSettings s, string key, string text)
    {
        if (key == "version")
            return (s with { Version = text }, null);
        if (key is "high_amount_threshold" or "elevated_amount_threshold")
        {
            if (!TryMoney(text, out var money))
                return (null, $"must be an amount such as 10000 or 9999.99, got '{text}'");
            return (key == "high_amount_threshold" ? s with { HighAmountThreshold = money } : s with { ElevatedAmountThreshold = money }, null);
        }

        if (!TryNumber(text, out var n))
            return (null, $"must be a number such as 3 or 0.25, got '{text}'");
        return (key switch
        {
            "high_amount_increment" => s with { HighAmountIncrement = n },
            "elevated_amount_increment" => s with { ElevatedAmountIncrement = n },
            "max_unique_ips" => s with { MaxUniqueIps = n },
            "unique_ips_increment" => s with { UniqueIpsIncrement = n },
            "velocity_threshold" => s with { VelocityThreshold = n },
            "velocity_increment" => s with { VelocityIncrement = n },
            "deviation_threshold" => s with { DeviationThreshold = n },
            "deviation_increment" => s with { DeviationIncrement = n },
            "night_count_threshold" => s with { NightCountThreshold = n },
            "night_count_increment" => s with { NightCountIncrement = n },
            "medium_threshold" => s with { MediumThreshold = n },
            "high_threshold" => s with { HighThreshold = n },
            _ => throw new ArgumentOutOfRangeException(nameof(key), key, null),
        }, null);
    }

    /// <summary>A finite number in invariant culture (a decimal point, no grouping); NaN and infinities are refused.</summary>
    public static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    public static bool TryMoney(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}
