using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Scoring;
using CsCheck;

namespace Amlfs.Core.Tests.Scoring;

public sealed class RulesRiskModelTests
{
    // The customer features in engine order, from the default definitions.
    private static readonly IReadOnlyList<string> Names =
        FeaturePlan.Compile(DefinitionsLoader.LoadDefault()).Entity("customer")!.Features.Select(f => f.Name).ToList();

    private static readonly RulesRiskModel Model = new(RulesModelSettings.Default, Names);

    private static double[] Vector(params (string Name, double Value)[] values) => Vector(Names, values);

    private static double[] Vector(IReadOnlyList<string> names, params (string Name, double Value)[] values)
    {
        var vector = new double[names.Count];
        foreach (var (name, value) in values)
            vector[names.ToList().IndexOf(name)] = value;
        return vector;
    }

    private static RiskReasonCode[] Codes(RiskAssessment assessment) => assessment.Reasons.Select(r => r.Code).ToArray();

    [Fact]
    public void The_weighted_part_is_the_sum_of_capped_normalized_features()
    {
        var features = Vector(
            ("txn_amount_sum_60s", 5_000),      // 0.15 * 0.5
            ("txn_count_60s", 20),              // 0.08 * min(2, 1)
            ("unique_merchants_1h", 2),         // 0.05 * 0.2
            ("weekend_txn_count_7d", -3),       // negative: 0
            ("avg_txn_amount_1h", 2_500),       // 0.03 * 0.5
            ("max_txn_amount_1h", 99_999));     // not weighted

        var assessment = Model.Score(features, 100m);

        Assert.Equal(0.075 + 0.08 + 0.01 + 0.015, assessment.Score, 10);
        Assert.Equal(0.18, assessment.Score);
        Assert.Equal(RiskLevel.Low, assessment.Level);
        Assert.Equal([new RiskReason(RiskReasonCode.NoRiskFactors, 0, 0, 0)], assessment.Reasons);
        Assert.Equal("rules-1", assessment.ModelVersion);
    }

    [Fact]
    public void An_empty_history_and_a_small_amount_score_zero_with_no_risk_factors()
    {
        var assessment = Model.Score(Vector(), 50m);

        Assert.Equal((0.0, RiskLevel.Low), (assessment.Score, assessment.Level));
        Assert.Equal([RiskReasonCode.NoRiskFactors], Codes(assessment));
    }

    [Fact]
    public void Amount_above_ten_thousand_adds_the_high_value_reason()
    {
        var assessment = Model.Score(Vector(), 10_000.01m);

        Assert.Equal(0.3, assessment.Score);
        Assert.Equal([new RiskReason(RiskReasonCode.HighAmount, 10_000.01, 10_000, 0.30)], assessment.Reasons);
    }

    [Fact]
    public void Amount_of_exactly_ten_thousand_is_only_elevated()
    {
        var assessment = Model.Score(Vector(), 10_000m);

        Assert.Equal(0.15, assessment.Score);
        Assert.Equal([new RiskReason(RiskReasonCode.ElevatedAmount, 10_000, 5_000, 0.15)], assessment.Reasons);
    }

    [Fact]
    public void Amount_above_five_thousand_adds_the_elevated_value_reason_and_exactly_five_thousand_adds_nothing()
    {
        Assert.Equal([RiskReasonCode.ElevatedAmount], Codes(Model.Score(Vector(), 5_000.01m)));
        Assert.Equal([RiskReasonCode.NoRiskFactors], Codes(Model.Score(Vector(), 5_000m)));
    }

    [Theory]
    // feature, value at the threshold and its weighted score, value just above and its weighted score, rule increment
    [InlineData("unique_ips_1h", 3, 0.12, 4, 0.16, 0.25, RiskReasonCode.MultipleIps)]
    [InlineData("velocity_score_1h", 1.5, 0.09, 1.6, 0.096, 0.20, RiskReasonCode.HighVelocity)]
    [InlineData("amount_deviation_score_1h", 3_000, 0.048, 3_000.01, 0.048, 0.15, RiskReasonCode.IrregularAmounts)]
    [InlineData("night_txn_count_24h", 3, 0.036, 4, 0.048, 0.10, RiskReasonCode.NightActivity)]
    public void A_feature_rule_fires_just_above_its_threshold_and_not_at_it(
        string feature, double at, double weightedAt, double above, double weightedAbove, double increment, RiskReasonCode code)
    {
        var atThreshold = Model.Score(Vector((feature, at)), 0m);
        var aboveThreshold = Model.Score(Vector((feature, above)), 0m);

        Assert.Equal([RiskReasonCode.NoRiskFactors], Codes(atThreshold));
        Assert.Equal(weightedAt, atThreshold.Score);
        Assert.Equal([new RiskReason(code, above, at, increment)], aboveThreshold.Reasons);
        Assert.Equal(Math.Round(weightedAbove + increment, 4), aboveThreshold.Score);
    }

    [Fact]
    public void Reasons_come_in_the_fixed_order_and_the_score_is_clamped_to_one()
    {
        var features = Names.Select(_ => 1_000_000.0).ToArray();

        var assessment = Model.Score(features, 50_000m);

        Assert.Equal((1.0, RiskLevel.High), (assessment.Score, assessment.Level));
        Assert.Equal(
            [RiskReasonCode.HighAmount, RiskReasonCode.MultipleIps, RiskReasonCode.HighVelocity, RiskReasonCode.IrregularAmounts, RiskReasonCode.NightActivity],
            Codes(assessment));
        Assert.Equal([0.30, 0.25, 0.20, 0.15, 0.10], assessment.Reasons.Select(r => r.Contribution));
    }

    [Fact]
    public void A_score_of_exactly_the_medium_threshold_is_medium()
    {
        var assessment = Model.Score(Vector(), 12_000m);

        Assert.Equal((0.3, RiskLevel.Medium), (assessment.Score, assessment.Level));
    }

    [Fact]
    public void A_score_of_exactly_the_high_threshold_is_high()
    {
        // 0.15 + 0.12 + 0.03 from the weights, 0.30 from the amount.
        var features = Vector(("txn_amount_sum_60s", 10_000), ("txn_amount_sum_5m", 25_000), ("avg_txn_amount_1h", 5_000));

        var assessment = Model.Score(features, 12_000m);

        Assert.Equal((0.6, RiskLevel.High), (assessment.Score, assessment.Level));
    }

    [Fact]
    public void A_score_just_below_the_medium_threshold_is_low()
    {
        // 0.15 + 0.12 + 0.05 * 5.98 / 10 = 0.2999
        var features = Vector(("txn_amount_sum_60s", 10_000), ("txn_amount_sum_5m", 25_000), ("unique_merchants_1h", 5.98));

        var assessment = Model.Score(features, 0m);

        Assert.Equal((0.2999, RiskLevel.Low), (assessment.Score, assessment.Level));
    }

    [Theory]
    [InlineData(0.29996, 0.3, RiskLevel.Medium)]
    [InlineData(0.29994, 0.2999, RiskLevel.Low)]
    [InlineData(0.59995, 0.6, RiskLevel.High)]
    [InlineData(0.59994, 0.5999, RiskLevel.Medium)]
    public void The_level_is_decided_from_the_rounded_score(double raw, double shown, RiskLevel level)
    {
        var settings = RulesModelSettings.Default with { Weights = [new("x", 1, 1)] };
        var model = new RulesRiskModel(settings, ["x"]);

        var assessment = model.Score([raw], 0m);

        Assert.Equal((shown, level), (assessment.Score, assessment.Level));
    }

    [Fact]
    public void Missing_features_count_as_zero()
    {
        var names = Names.Where(n => n is not ("unique_ips_1h" or "txn_count_1h")).ToList();
        var withoutThem = new RulesRiskModel(RulesModelSettings.Default, names);
        var features = Vector(names, ("txn_count_5m", 10), ("velocity_score_1h", 1.8));

        var assessment = withoutThem.Score(features, 7_000m);

        var expected = Model.Score(Vector(("txn_count_5m", 10), ("velocity_score_1h", 1.8)), 7_000m);
        Assert.Equal(expected.Score, assessment.Score);
        Assert.Equal([RiskReasonCode.ElevatedAmount, RiskReasonCode.HighVelocity], Codes(assessment));
    }

    [Fact]
    public void A_weight_for_a_feature_the_vector_lacks_counts_as_zero()
    {
        var settings = RulesModelSettings.Default with { Weights = [.. RulesModelSettings.Default.Weights, new("removed_feature", 0.5, 1)] };

        var assessment = new RulesRiskModel(settings, Names).Score(Vector(("txn_count_1h", 25)), 0m);

        Assert.Equal(0.025, assessment.Score);
    }

    [Fact]
    public void A_rule_with_increment_zero_is_off()
    {
        var settings = RulesModelSettings.Default with { UniqueIpsIncrement = 0 };

        var assessment = new RulesRiskModel(settings, Names).Score(Vector(("unique_ips_1h", 5)), 0m);

        Assert.Equal((0.2, RiskReasonCode.NoRiskFactors), (assessment.Score, Assert.Single(assessment.Reasons).Code));
    }

    [Fact]
    public void Custom_thresholds_and_version_are_used()
    {
        var settings = RulesModelSettings.Default with
        {
            Version = "rules-2",
            HighAmountThreshold = 20_000m,
            HighAmountIncrement = 0.5,
            MediumThreshold = 0.1,
            HighThreshold = 0.5,
        };

        var assessment = new RulesRiskModel(settings, Names).Score(Vector(), 20_000.5m);

        Assert.Equal((0.5, RiskLevel.High, "rules-2"), (assessment.Score, assessment.Level, assessment.ModelVersion));
        Assert.Equal(RiskLevel.Medium, new RulesRiskModel(settings, Names).Score(Vector(), 15_000m).Level);
    }

    [Fact]
    public void A_longer_buffer_is_read_by_position_and_a_shorter_one_is_refused()
    {
        var longer = Vector(("unique_ips_1h", 5)).Concat([42.0, 43.0]).ToArray();

        Assert.Equal(0.45, Model.Score(longer, 0m).Score);
        Assert.Throws<ArgumentException>(() => Model.Score(new double[Names.Count - 1], 0m));
    }

    [Fact]
    public void Invalid_settings_are_refused_by_the_model()
    {
        var settings = RulesModelSettings.Default with { MediumThreshold = 0.7 };

        var error = Assert.Throws<ArgumentException>(() => new RulesRiskModel(settings, Names));

        Assert.Contains("levels.medium_threshold", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_score_is_always_within_zero_and_one_and_its_level_agrees_with_the_thresholds()
    {
        var genThresholds = Gen.Select(Gen.Double[0.01, 0.5], Gen.Double[0.01, 0.5], (medium, gap) => (Medium: medium, High: Math.Min(1, medium + gap)));
        var genCase = Gen.Select(
            Gen.Double[-100, 100_000].Array[Names.Count],
            Gen.Double[0, 100_000],
            genThresholds,
            (features, amount, levels) => (Features: features, Amount: (decimal)Math.Round(amount, 2), Levels: levels));

        genCase.Sample(c =>
        {
            var settings = RulesModelSettings.Default with { MediumThreshold = c.Levels.Medium, HighThreshold = c.Levels.High };
            var assessment = new RulesRiskModel(settings, Names).Score(c.Features, c.Amount);

            Assert.InRange(assessment.Score, 0, 1);
            Assert.Equal(Math.Round(assessment.Score, 4), assessment.Score);
            var expected = assessment.Score >= settings.HighThreshold ? RiskLevel.High
                : assessment.Score >= settings.MediumThreshold ? RiskLevel.Medium
                : RiskLevel.Low;
            Assert.Equal(expected, assessment.Level);
            Assert.NotEmpty(assessment.Reasons);
        });
    }
}
