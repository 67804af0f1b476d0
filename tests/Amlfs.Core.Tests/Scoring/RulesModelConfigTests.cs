using System.Globalization;
using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Scoring;

namespace Amlfs.Core.Tests.Scoring;

public sealed class RulesModelConfigTests
{
    private const string File = "test.yaml";

    // Line 2 is the unique_ips_1h weight, 4 max_unique_ips, 6 medium_threshold.
    private const string Small = """
        weights:
          unique_ips_1h: {weight: 0.5, normalizer: 4}
        rules:
          max_unique_ips: 2
        levels:
          medium_threshold: 0.25

        """;

    private static readonly IReadOnlyList<string> Names =
        FeaturePlan.Compile(DefinitionsLoader.LoadDefault()).Entity("customer")!.Features.Select(f => f.Name).ToList();

    private static IReadOnlyList<string> Errors(string text, Dictionary<string, string>? environment = null) =>
        Assert.Throws<RulesModelConfigException>(() => RulesModelConfig.Parse(text, File, environment, Names)).Errors;

    [Fact]
    public void The_embedded_default_file_equals_the_default_settings()
    {
        Assert.Equal(RulesModelSettings.Default, RulesModelConfig.LoadDefault());
    }

    [Fact]
    public void The_embedded_default_file_weights_the_seed_features_of_the_customer()
    {
        var settings = RulesModelConfig.Parse(RulesModelConfig.DefaultText(), RulesModelConfig.DefaultFileName, null, Names);
        var seedFeatures = DefinitionsLoader.LoadDefault().Views.Single(v => v.Name == "customer_activity").Features.Select(f => f.Name);

        Assert.Equal(seedFeatures.Where(n => n != "max_txn_amount_1h"), settings.Weights.Select(w => w.Feature));
    }

    [Fact]
    public void The_default_file_documents_every_environment_variable()
    {
        var text = RulesModelConfig.DefaultText();
        string[] variables =
        [
            "AMLFS_RISK_VERSION", "AMLFS_RISK_WEIGHT_", "AMLFS_RISK_NORMALIZER_", "AMLFS_RISK_HIGH_AMOUNT_THRESHOLD",
            "AMLFS_RISK_HIGH_AMOUNT_INCREMENT", "AMLFS_RISK_ELEVATED_AMOUNT_THRESHOLD", "AMLFS_RISK_ELEVATED_AMOUNT_INCREMENT",
            "AMLFS_RISK_MAX_UNIQUE_IPS", "AMLFS_RISK_UNIQUE_IPS_INCREMENT", "AMLFS_RISK_VELOCITY_THRESHOLD",
            "AMLFS_RISK_VELOCITY_INCREMENT", "AMLFS_RISK_DEVIATION_THRESHOLD", "AMLFS_RISK_DEVIATION_INCREMENT",
            "AMLFS_RISK_NIGHT_COUNT_THRESHOLD", "AMLFS_RISK_NIGHT_COUNT_INCREMENT", "AMLFS_RISK_MEDIUM_THRESHOLD",
            "AMLFS_RISK_HIGH_THRESHOLD",
        ];

        Assert.All(variables, v => Assert.Contains(v, text, StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_sets_what_it_names_and_keeps_the_defaults_for_the_rest()
    {
        var settings = RulesModelConfig.Parse(Small, File);

        Assert.Equal([new FeatureWeight("unique_ips_1h", 0.5, 4)], settings.Weights);
        Assert.Equal((2.0, 0.25), (settings.MaxUniqueIps, settings.MediumThreshold));
        Assert.Equal(
            RulesModelSettings.Default with { Weights = settings.Weights, MaxUniqueIps = 2, MediumThreshold = 0.25 },
            settings);
    }

    [Fact]
    public void Numbers_are_read_in_the_invariant_culture_whatever_the_current_one()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("pt-BR");
        try
        {
            Assert.Equal(0.25, RulesModelConfig.Parse(Small, File).MediumThreshold);
            Assert.Equal(
                ["test.yaml:4: rules.max_unique_ips: must be a number such as 3 or 0.25, got '2,5'"],
                Errors(Small.Replace("max_unique_ips: 2", "max_unique_ips: '2,5'", StringComparison.Ordinal)));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void A_malformed_number_names_the_file_line_and_field()
    {
        var errors = Errors(Small.Replace("normalizer: 4", "normalizer: four", StringComparison.Ordinal));

        Assert.Equal(["test.yaml:2: weights.unique_ips_1h.normalizer: must be a number such as 3 or 0.25, got 'four'"], errors);
    }

    [Fact]
    public void A_malformed_amount_threshold_names_the_file_line_and_field()
    {
        var errors = Errors("rules:\n  high_amount_threshold: R$ 10.000\n");

        Assert.Equal(["test.yaml:2: rules.high_amount_threshold: must be an amount such as 10000 or 9999.99, got 'R$ 10.000'"], errors);
    }

    [Theory]
    [InlineData("rules:\n  max_unique_ips: [3\nlevels:\n  medium_threshold: 0.3\n", 2)]
    [InlineData("levels:\n  medium_threshold: 0.3\n   high_threshold: 0.6\n", 3)]
    [InlineData("version: rules-1\nversion: rules-2\n", 2)]
    public void A_yaml_syntax_error_names_the_file_and_line(string text, int line)
    {
        var error = Assert.Single(Errors(text));

        Assert.StartsWith($"test.yaml:{line}: yaml: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_keys_are_reported_with_their_lines()
    {
        var errors = Errors(Small.Replace("max_unique_ips: 2", "max_unique_ip: 2", StringComparison.Ordinal) + "colour: red\n");

        Assert.Equal(
            [
                "test.yaml:4: rules.max_unique_ip: unknown key (known: high_amount_threshold, high_amount_increment, elevated_amount_threshold, "
                    + "elevated_amount_increment, max_unique_ips, unique_ips_increment, velocity_threshold, velocity_increment, "
                    + "deviation_threshold, deviation_increment, night_count_threshold, night_count_increment)",
                "test.yaml:7: colour: unknown key (known: version, weights, rules, levels)",
            ],
            errors.OrderBy(e => e, StringComparer.Ordinal));
    }

    [Fact]
    public void A_weight_without_a_normalizer_is_reported()
    {
        var errors = Errors("weights:\n  unique_ips_1h: {weight: 0.5}\n");

        Assert.Equal(["test.yaml:2: weights.unique_ips_1h.normalizer: is required"], errors);
    }

    [Fact]
    public void A_value_out_of_range_is_reported_at_the_line_that_sets_it()
    {
        var errors = Errors(Small.Replace("normalizer: 4", "normalizer: 0", StringComparison.Ordinal)
            .Replace("medium_threshold: 0.25", "medium_threshold: 0.9", StringComparison.Ordinal));

        Assert.Equal(
            [
                "test.yaml:2: weights.unique_ips_1h.normalizer: must be greater than 0",
                "test.yaml:6: levels.medium_threshold: must be greater than 0 and less than levels.high_threshold",
            ],
            errors);
    }

    [Fact]
    public void A_weight_for_an_unknown_feature_is_reported_at_its_line()
    {
        var error = Assert.Single(Errors(Small.Replace("unique_ips_1h:", "unique_ips_2h:", StringComparison.Ordinal)));

        Assert.StartsWith("test.yaml:2: weights.unique_ips_2h: unknown feature 'unique_ips_2h'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_overrides_apply_over_the_file()
    {
        var environment = new Dictionary<string, string>
        {
            ["AMLFS_RISK_HIGH_AMOUNT_THRESHOLD"] = "20000.50",
            ["AMLFS_RISK_WEIGHT_UNIQUE_IPS_1H"] = "0.3",
            ["AMLFS_RISK_NORMALIZER_UNIQUE_IPS_1H"] = "6",
            ["AMLFS_RISK_MEDIUM_THRESHOLD"] = " 0.2 ",
            ["AMLFS_RISK_HIGH_THRESHOLD"] = "0.7",
            ["AMLFS_RISK_MAX_UNIQUE_IPS"] = "5",
            ["AMLFS_RISK_NIGHT_COUNT_INCREMENT"] = "0",
            ["AMLFS_RISK_VERSION"] = "rules-2",
            ["PATH"] = "/usr/bin",
            ["AMLFS_DATA"] = "data",
        };

        var settings = RulesModelConfig.Parse(Small, File, environment, Names);

        Assert.Equal(
            RulesModelSettings.Default with
            {
                Version = "rules-2",
                Weights = [new("unique_ips_1h", 0.3, 6)],
                HighAmountThreshold = 20_000.50m,
                MaxUniqueIps = 5,
                NightCountIncrement = 0,
                MediumThreshold = 0.2,
                HighThreshold = 0.7,
            },
            settings);
    }

    [Fact]
    public void The_default_file_takes_environment_overrides_of_a_weight()
    {
        var environment = new Dictionary<string, string> { ["AMLFS_RISK_WEIGHT_VELOCITY_SCORE_1H"] = "0.2" };

        var settings = RulesModelConfig.Parse(RulesModelConfig.DefaultText(), RulesModelConfig.DefaultFileName, environment, Names);

        Assert.Equal(new FeatureWeight("velocity_score_1h", 0.2, 2.0), settings.Weights[9]);
        Assert.Equal(14, settings.Weights.Count);
    }

    [Fact]
    public void A_bad_environment_value_names_the_variable()
    {
        var errors = Errors(Small, new()
        {
            ["AMLFS_RISK_HIGH_THRESHOLD"] = "high",
            ["AMLFS_RISK_NORMALIZER_UNIQUE_IPS_1H"] = "NaN",
            ["AMLFS_RISK_ELEVATED_AMOUNT_THRESHOLD"] = "5.000,00",
        });

        Assert.Equal(
            [
                "AMLFS_RISK_ELEVATED_AMOUNT_THRESHOLD: rules.elevated_amount_threshold: must be an amount such as 10000 or 9999.99, got '5.000,00'",
                "AMLFS_RISK_HIGH_THRESHOLD: levels.high_threshold: must be a number such as 3 or 0.25, got 'high'",
                "AMLFS_RISK_NORMALIZER_UNIQUE_IPS_1H: weights.unique_ips_1h.normalizer: must be a number such as 3 or 0.25, got 'NaN'",
            ],
            errors);
    }

    [Fact]
    public void An_environment_value_out_of_range_names_the_variable()
    {
        var errors = Errors(Small, new() { ["AMLFS_RISK_HIGH_THRESHOLD"] = "1.5", ["AMLFS_RISK_WEIGHT_UNIQUE_IPS_1H"] = "2" });

        Assert.Equal(
            [
                "AMLFS_RISK_WEIGHT_UNIQUE_IPS_1H: weights.unique_ips_1h.weight: must be between 0 and 1",
                "AMLFS_RISK_HIGH_THRESHOLD: levels.high_threshold: must be at most 1",
            ],
            errors);
    }

    [Fact]
    public void An_unknown_risk_variable_is_reported_so_that_a_typo_is_not_ignored()
    {
        var error = Assert.Single(Errors(Small, new() { ["AMLFS_RISK_HIGHT_THRESHOLD"] = "0.7" }));

        Assert.StartsWith("AMLFS_RISK_HIGHT_THRESHOLD: unknown variable (known: AMLFS_RISK_VERSION, AMLFS_RISK_HIGH_AMOUNT_THRESHOLD, ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_environment_adds_a_feature_given_both_its_weight_and_normalizer()
    {
        var names = Names.Append("peak_hours_txn_count_1h").ToList();
        var both = new Dictionary<string, string>
        {
            ["AMLFS_RISK_WEIGHT_PEAK_HOURS_TXN_COUNT_1H"] = "0.1",
            ["AMLFS_RISK_NORMALIZER_PEAK_HOURS_TXN_COUNT_1H"] = "20",
        };

        var settings = RulesModelConfig.Parse(Small, File, both, names);

        Assert.Equal([new("unique_ips_1h", 0.5, 4), new("peak_hours_txn_count_1h", 0.1, 20)], settings.Weights);
        Assert.Equal(
            ["AMLFS_RISK_WEIGHT_PEAK_HOURS_TXN_COUNT_1H: weights.peak_hours_txn_count_1h: the file does not weigh 'peak_hours_txn_count_1h'; "
                + "set both AMLFS_RISK_WEIGHT_PEAK_HOURS_TXN_COUNT_1H and AMLFS_RISK_NORMALIZER_PEAK_HOURS_TXN_COUNT_1H to add it"],
            Errors(Small, new() { ["AMLFS_RISK_WEIGHT_PEAK_HOURS_TXN_COUNT_1H"] = "0.1" }));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var text = Small.Replace("weight: 0.5", "weight: 5", StringComparison.Ordinal)
            .Replace("max_unique_ips: 2", "max_unique_ips: many", StringComparison.Ordinal);

        var errors = Errors(text, new() { ["AMLFS_RISK_VELOCITY_INCREMENT"] = "x" });

        Assert.Equal(3, errors.Count);
        Assert.Equal(errors.Count, new RulesModelConfigException(errors).Message.Split(Environment.NewLine).Length);
    }

    [Fact]
    public void Load_file_reads_a_file_and_names_a_missing_one()
    {
        var path = Path.Combine(Path.GetTempPath(), $"risk-model-{Guid.NewGuid():N}.yaml");
        System.IO.File.WriteAllText(path, Small);
        try
        {
            Assert.Equal(0.25, RulesModelConfig.LoadFile(path).MediumThreshold);
            var error = Assert.Single(Assert.Throws<RulesModelConfigException>(() => RulesModelConfig.LoadFile(path + ".missing")).Errors);
            Assert.Equal($"{path}.missing: does not exist", error);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public void A_file_that_is_not_a_mapping_is_reported()
    {
        Assert.Equal(["test.yaml:1: file: must be a YAML mapping with version, weights, rules and levels"], Errors("- 1\n- 2\n"));
    }
}
