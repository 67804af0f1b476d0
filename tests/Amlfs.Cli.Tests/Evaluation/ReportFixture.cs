using Amlfs.Cli.Evaluation;

namespace Amlfs.Cli.Tests.Evaluation;

/// <summary>A seeded evaluation set: 3,000 rows at about 5% prevalence, and SHAP values for 25 features.</summary>
internal static class ReportFixture
{
    public const int Rows = 3_000;
    public const int Features = 25;

    public static EvaluationReportData Full()
    {
        var random = new Random(17);
        var labels = new bool[Rows];
        var model = new double[Rows];
        var rules = new double[Rows];
        var anomaly = new double[Rows];
        for (var i = 0; i < Rows; i++)
        {
            labels[i] = random.NextDouble() < 0.05;
            var signal = labels[i] ? 1.5 : 0;
            model[i] = Sigmoid(-3.5 + signal + Normal(random));
            // The rules' scores are coarse (two decimals), so they tie a lot.
            rules[i] = Math.Round(Math.Clamp(0.2 + (0.15 * signal) + (0.15 * Normal(random)), 0, 1), 2);
            anomaly[i] = Sigmoid((0.5 * signal) + Normal(random));
        }

        var shap = new double[Rows * Features];
        var values = new double[Rows * Features];
        for (var r = 0; r < Rows; r++)
        {
            for (var f = 0; f < Features; f++)
            {
                var value = Normal(random);
                values[(r * Features) + f] = f == 3 && r % 10 == 0 ? double.NaN : value;
                // Feature f's effect shrinks with f, so the ranking is known: feature 0 first.
                shap[(r * Features) + f] = value / (1 + f);
            }
        }

        return new EvaluationReportData
        {
            Title = "Risk model evaluation",
            ModelVersion = "gbdt-7",
            RulesVersion = "rules-1",
            Period = "2024-03-01 to 2024-03-31",
            ModelScores = model,
            RulesScores = rules,
            Labels = labels,
            HighThreshold = 0.5,
            MediumThreshold = 0.2,
            AnomalyScores = anomaly,
            TypologyRecalls = [new("structuring", 40, 0.7, 0.45, 0.8, 0.5), new("mule_account", 25, 0.6, 0.2, 0.64, 0.24)],
            FeatureNames = [.. Enumerable.Range(0, Features).Select(f => $"feature_{f:00}")],
            ShapValues = shap,
            FeatureValues = values,
        };
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
