using System.Globalization;

namespace Amlfs.Scoring;

/// <summary>
/// Every number of the rules risk model, built once: the weighted features, the business rules (a rule fires when its
/// value is strictly above its threshold and adds its increment) and the level thresholds. The defaults reproduce the
/// seed service. <see cref="RulesModelConfig"/> reads them from <c>risk-model.yaml</c> and the environment.
/// </summary>
public sealed record RulesModelSettings
{
    /// <summary>The feature the multiple-IPs rule reads.</summary>
    public const string UniqueIpsFeature = "unique_ips_1h";

    /// <summary>The feature the velocity rule reads (transactions per minute).</summary>
    public const string VelocityFeature = "velocity_score_1h";

    /// <summary>The feature the irregular-amounts rule reads (sample standard deviation of amounts).</summary>
    public const string DeviationFeature = "amount_deviation_score_1h";

    /// <summary>The feature the night-activity rule reads.</summary>
    public const string NightCountFeature = "night_txn_count_24h";

    private static readonly FeatureWeight[] SeedWeights =
    [
        new("txn_amount_sum_60s", 0.15, 10_000),
        new("txn_amount_sum_5m", 0.12, 25_000),
        new("txn_amount_sum_1h", 0.10, 50_000),
        new("txn_count_60s", 0.08, 10),
        new("txn_count_5m", 0.07, 20),
        new("txn_count_10m", 0.06, 30),
        new("txn_count_1h", 0.05, 50),
        new("unique_ips_1h", 0.20, 5),
        new("unique_merchants_1h", 0.05, 10),
        new("velocity_score_1h", 0.12, 2.0),
        new("amount_deviation_score_1h", 0.08, 5_000),
        new("night_txn_count_24h", 0.06, 5),
        new("weekend_txn_count_7d", 0.03, 10),
        new("avg_txn_amount_1h", 0.03, 5_000),
    ];

    private readonly IReadOnlyList<FeatureWeight> _weights = Array.AsReadOnly(SeedWeights);

    /// <summary>The seed service's model.</summary>
    public static RulesModelSettings Default { get; } = new();

    /// <summary>Reported with every assessment as <c>model_version</c>; change it whenever a number changes.</summary>
    public string Version { get; init; } = "rules-1";

    /// <summary>
    /// The weighted features, summed in this order. A name the feature vector lacks counts as 0; see
    /// <see cref="Validate(IReadOnlyCollection{string})"/> to catch such names at start-up.
    /// </summary>
    public IReadOnlyList<FeatureWeight> Weights
    {
        get => _weights;
        init => _weights = Array.AsReadOnly((value ?? throw new ArgumentNullException(nameof(value))).ToArray());
    }

    /// <summary>A request amount above this adds <see cref="HighAmountIncrement"/>.</summary>
    public decimal HighAmountThreshold { get; init; } = 10_000m;

    public double HighAmountIncrement { get; init; } = 0.30;

    /// <summary>A request amount above this, but not above <see cref="HighAmountThreshold"/>, adds <see cref="ElevatedAmountIncrement"/>.</summary>
    public decimal ElevatedAmountThreshold { get; init; } = 5_000m;

    public double ElevatedAmountIncrement { get; init; } = 0.15;

    /// <summary>More distinct IPs in the last hour than this adds <see cref="UniqueIpsIncrement"/>.</summary>
    public double MaxUniqueIps { get; init; } = 3;

    public double UniqueIpsIncrement { get; init; } = 0.25;

    /// <summary>More transactions per minute than this adds <see cref="VelocityIncrement"/>.</summary>
    public double VelocityThreshold { get; init; } = 1.5;

    public double VelocityIncrement { get; init; } = 0.20;

    /// <summary>A standard deviation of amounts in the last hour above this adds <see cref="DeviationIncrement"/>.</summary>
    public double DeviationThreshold { get; init; } = 3_000;

    public double DeviationIncrement { get; init; } = 0.15;

    /// <summary>More night transactions in the last 24 hours than this adds <see cref="NightCountIncrement"/>.</summary>
    public double NightCountThreshold { get; init; } = 3;

    public double NightCountIncrement { get; init; } = 0.10;

    /// <summary>The lowest Medium score; anything below is Low.</summary>
    public double MediumThreshold { get; init; } = 0.3;

    /// <summary>The lowest High score.</summary>
    public double HighThreshold { get; init; } = 0.6;

    /// <summary>The level of a score under these thresholds: a score equal to a threshold takes the higher level.</summary>
    public RiskLevel LevelOf(double score) =>
        score >= HighThreshold ? RiskLevel.High : score >= MediumThreshold ? RiskLevel.Medium : RiskLevel.Low;

    /// <summary>Every problem with the numbers, each as <c>path: reason</c>; empty when the settings are usable.</summary>
    public IReadOnlyList<string> Validate() => Format(Problems(null));

    /// <summary>
    /// Every problem with the numbers, plus weights and rules that read a feature not in
    /// <paramref name="knownFeatures"/> (a rule whose increment is 0 is off and may read anything).
    /// </summary>
    public IReadOnlyList<string> Validate(IReadOnlyCollection<string> knownFeatures)
    {
        ArgumentNullException.ThrowIfNull(knownFeatures);
        return Format(Problems(knownFeatures));
    }

    /// <summary>Problems as (setting path, reason), so that a config reader can say where each path was set.</summary>
    internal List<(string Path, string Message)> Problems(IReadOnlyCollection<string>? knownFeatures)
    {
        var problems = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(Version))
            problems.Add(("version", "must not be empty"));

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var w in Weights)
        {
            var path = "weights." + w.Feature;
            if (string.IsNullOrEmpty(w.Feature))
                problems.Add(("weights", "a weight has no feature name"));
            else if (!seen.Add(w.Feature))
                problems.Add((path, "is declared twice"));
            else if (knownFeatures is not null && !knownFeatures.Contains(w.Feature))
                problems.Add((path, $"unknown feature '{w.Feature}' (known: {string.Join(", ", knownFeatures)})"));
            if (!(w.Weight is >= 0 and <= 1))
                problems.Add((path + ".weight", "must be between 0 and 1"));
            if (!(w.Normalizer > 0) || double.IsInfinity(w.Normalizer))
                problems.Add((path + ".normalizer", "must be greater than 0"));
        }

        Threshold(problems, "rules.high_amount_threshold", (double)HighAmountThreshold);
        Increment(problems, "rules.high_amount_increment", HighAmountIncrement);
        Threshold(problems, "rules.elevated_amount_threshold", (double)ElevatedAmountThreshold);
        Increment(problems, "rules.elevated_amount_increment", ElevatedAmountIncrement);
        if (ElevatedAmountThreshold >= HighAmountThreshold)
            problems.Add(("rules.elevated_amount_threshold", "must be less than rules.high_amount_threshold"));
        Rule(problems, "max_unique_ips", MaxUniqueIps, "unique_ips_increment", UniqueIpsIncrement, UniqueIpsFeature, knownFeatures);
        Rule(problems, "velocity_threshold", VelocityThreshold, "velocity_increment", VelocityIncrement, VelocityFeature, knownFeatures);
        Rule(problems, "deviation_threshold", DeviationThreshold, "deviation_increment", DeviationIncrement, DeviationFeature, knownFeatures);
        Rule(problems, "night_count_threshold", NightCountThreshold, "night_count_increment", NightCountIncrement, NightCountFeature, knownFeatures);

        // Written so that NaN fails every check.
        if (!(MediumThreshold > 0 && MediumThreshold < HighThreshold))
            problems.Add(("levels.medium_threshold", "must be greater than 0 and less than levels.high_threshold"));
        if (!(HighThreshold <= 1))
            problems.Add(("levels.high_threshold", "must be at most 1"));
        return problems;
    }

    public bool Equals(RulesModelSettings? other) =>
        other is not null
        && Version == other.Version
        && Weights.SequenceEqual(other.Weights)
        && HighAmountThreshold == other.HighAmountThreshold && HighAmountIncrement.Equals(other.HighAmountIncrement)
        && ElevatedAmountThreshold == other.ElevatedAmountThreshold && ElevatedAmountIncrement.Equals(other.ElevatedAmountIncrement)
        && MaxUniqueIps.Equals(other.MaxUniqueIps) && UniqueIpsIncrement.Equals(other.UniqueIpsIncrement)
        && VelocityThreshold.Equals(other.VelocityThreshold) && VelocityIncrement.Equals(other.VelocityIncrement)
        && DeviationThreshold.Equals(other.DeviationThreshold) && DeviationIncrement.Equals(other.DeviationIncrement)
        && NightCountThreshold.Equals(other.NightCountThreshold) && NightCountIncrement.Equals(other.NightCountIncrement)
        && MediumThreshold.Equals(other.MediumThreshold) && HighThreshold.Equals(other.HighThreshold);

    // The weight table is compared by content (a record compares lists by reference), so settings read from a file
    // equal the same settings built in code.
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Version);
        foreach (var w in Weights)
            hash.Add(w);
        hash.Add(HighAmountThreshold);
        hash.Add(MaxUniqueIps);
        hash.Add(VelocityThreshold);
        hash.Add(MediumThreshold);
        hash.Add(HighThreshold);
        return hash.ToHashCode();
    }

    private static void Rule(
        List<(string, string)> problems, string thresholdKey, double threshold, string incrementKey, double increment,
        string feature, IReadOnlyCollection<string>? knownFeatures)
    {
        Threshold(problems, "rules." + thresholdKey, threshold);
        Increment(problems, "rules." + incrementKey, increment);
        if (knownFeatures is not null && increment > 0 && !knownFeatures.Contains(feature))
        {
            problems.Add(("rules." + thresholdKey,
                $"the rule reads feature '{feature}', which is not known; set rules.{incrementKey} to 0 to turn it off"));
        }
    }

    private static void Threshold(List<(string, string)> problems, string path, double value)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            problems.Add((path, "must be 0 or greater"));
    }

    private static void Increment(List<(string, string)> problems, string path, double value)
    {
        if (!(value is >= 0 and <= 1))
            problems.Add((path, "must be between 0 and 1"));
    }

    private static List<string> Format(List<(string Path, string Message)> problems) =>
        problems.ConvertAll(p => string.Create(CultureInfo.InvariantCulture, $"{p.Path}: {p.Message}"));
}
