using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Scoring;

namespace Amlfs.Core.Tests.Scoring;

public sealed class RulesModelSettingsTests
{
    private static readonly IReadOnlyList<string> Names =
        FeaturePlan.Compile(DefinitionsLoader.LoadDefault()).Entity("customer")!.Features.Select(f => f.Name).ToList();

    private static RulesModelSettings WithWeight(string feature, double weight, double normalizer) =>
        RulesModelSettings.Default with
        {
            Weights = RulesModelSettings.Default.Weights
                .Select(w => w.Feature == feature ? new FeatureWeight(feature, weight, normalizer) : w).ToList(),
        };

    [Fact]
    public void The_default_settings_are_valid_for_the_default_features()
    {
        Assert.Empty(RulesModelSettings.Default.Validate(Names));
        Assert.Empty(RulesModelSettings.Default.Validate());
    }

    [Fact]
    public void The_default_settings_are_the_seed_numbers()
    {
        var s = RulesModelSettings.Default;

        Assert.Equal(14, s.Weights.Count);
        Assert.Equal(new FeatureWeight("unique_ips_1h", 0.20, 5), s.Weights.Single(w => w.Feature == "unique_ips_1h"));
        Assert.Equal(1.20, s.Weights.Sum(w => w.Weight), 10);
        Assert.Equal(
            (10_000m, 0.30, 5_000m, 0.15, 3.0, 0.25, 1.5, 0.20, 3_000.0, 0.15, 3.0, 0.10, 0.3, 0.6, "rules-1"),
            (s.HighAmountThreshold, s.HighAmountIncrement, s.ElevatedAmountThreshold, s.ElevatedAmountIncrement,
                s.MaxUniqueIps, s.UniqueIpsIncrement, s.VelocityThreshold, s.VelocityIncrement, s.DeviationThreshold,
                s.DeviationIncrement, s.NightCountThreshold, s.NightCountIncrement, s.MediumThreshold, s.HighThreshold, s.Version));
    }

    [Fact]
    public void A_normalizer_of_zero_names_its_path()
    {
        var errors = WithWeight("unique_ips_1h", 0.2, 0).Validate(Names);

        Assert.Equal(["weights.unique_ips_1h.normalizer: must be greater than 0"], errors);
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void A_weight_outside_zero_to_one_names_its_path(double weight)
    {
        var errors = WithWeight("txn_count_1h", weight, 50).Validate(Names);

        Assert.Equal(["weights.txn_count_1h.weight: must be between 0 and 1"], errors);
    }

    [Fact]
    public void A_weight_for_an_unknown_feature_is_reported_only_against_known_names()
    {
        var settings = RulesModelSettings.Default with { Weights = [.. RulesModelSettings.Default.Weights, new("peak_hours_txn_count_1h", 0.1, 10)] };

        var error = Assert.Single(settings.Validate(Names));

        Assert.StartsWith("weights.peak_hours_txn_count_1h: unknown feature 'peak_hours_txn_count_1h' (known: txn_amount_sum_60s, ", error, StringComparison.Ordinal);
        Assert.Empty(settings.Validate());
    }

    [Fact]
    public void A_feature_weighted_twice_is_reported()
    {
        var settings = RulesModelSettings.Default with { Weights = [new("txn_count_1h", 0.1, 10), new("txn_count_1h", 0.2, 10)] };

        Assert.Equal(["weights.txn_count_1h: is declared twice"], settings.Validate(Names));
    }

    [Fact]
    public void Thresholds_must_not_be_negative_and_increments_must_be_within_zero_and_one()
    {
        var settings = RulesModelSettings.Default with
        {
            MaxUniqueIps = -1,
            VelocityIncrement = 1.2,
            DeviationThreshold = double.PositiveInfinity,
            NightCountIncrement = -0.1,
            HighAmountIncrement = double.NaN,
        };

        Assert.Equal(
            [
                "rules.high_amount_increment: must be between 0 and 1",
                "rules.max_unique_ips: must be 0 or greater",
                "rules.velocity_increment: must be between 0 and 1",
                "rules.deviation_threshold: must be 0 or greater",
                "rules.night_count_increment: must be between 0 and 1",
            ],
            settings.Validate(Names));
    }

    [Fact]
    public void The_elevated_amount_threshold_must_be_below_the_high_one()
    {
        var settings = RulesModelSettings.Default with { ElevatedAmountThreshold = 10_000m };

        Assert.Equal(["rules.elevated_amount_threshold: must be less than rules.high_amount_threshold"], settings.Validate(Names));
    }

    [Theory]
    [InlineData(0.0, 0.6, "levels.medium_threshold: must be greater than 0 and less than levels.high_threshold")]
    [InlineData(0.6, 0.6, "levels.medium_threshold: must be greater than 0 and less than levels.high_threshold")]
    [InlineData(0.3, 1.2, "levels.high_threshold: must be at most 1")]
    [InlineData(double.NaN, 0.6, "levels.medium_threshold: must be greater than 0 and less than levels.high_threshold")]
    public void Level_thresholds_must_satisfy_zero_below_medium_below_high_at_most_one(double medium, double high, string error)
    {
        var settings = RulesModelSettings.Default with { MediumThreshold = medium, HighThreshold = high };

        Assert.Equal([error], settings.Validate(Names));
    }

    [Fact]
    public void A_high_threshold_of_one_is_allowed()
    {
        Assert.Empty((RulesModelSettings.Default with { HighThreshold = 1 }).Validate(Names));
    }

    [Fact]
    public void An_empty_version_is_reported()
    {
        Assert.Equal(["version: must not be empty"], (RulesModelSettings.Default with { Version = " " }).Validate(Names));
    }

    [Fact]
    public void A_rule_reading_an_unknown_feature_is_reported_unless_it_is_off()
    {
        var names = Names.Where(n => n != "night_txn_count_24h").ToList();
        var settings = RulesModelSettings.Default with
        {
            Weights = RulesModelSettings.Default.Weights.Where(w => w.Feature != "night_txn_count_24h").ToList(),
        };

        Assert.Equal(
            ["rules.night_count_threshold: the rule reads feature 'night_txn_count_24h', which is not known; set rules.night_count_increment to 0 to turn it off"],
            settings.Validate(names));
        Assert.Empty((settings with { NightCountIncrement = 0 }).Validate(names));
    }

    [Fact]
    public void Levels_take_the_higher_level_at_a_threshold()
    {
        var s = RulesModelSettings.Default;

        Assert.Equal(
            [RiskLevel.Low, RiskLevel.Medium, RiskLevel.Medium, RiskLevel.High, RiskLevel.High],
            new[] { 0.2999, 0.3, 0.5999, 0.6, 1.0 }.Select(s.LevelOf));
    }

    [Fact]
    public void The_weight_table_is_copied_and_compared_by_content()
    {
        var weights = RulesModelSettings.Default.Weights.ToList();
        var settings = RulesModelSettings.Default with { Weights = weights };
        weights.Clear();

        Assert.Equal(14, settings.Weights.Count);
        Assert.Equal(RulesModelSettings.Default, settings);
        Assert.Equal(RulesModelSettings.Default.GetHashCode(), settings.GetHashCode());
        Assert.NotEqual(RulesModelSettings.Default, WithWeight("txn_count_1h", 0.06, 50));
    }
}
