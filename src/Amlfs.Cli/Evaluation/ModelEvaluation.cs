using Amlfs.Cli.Training;
using Amlfs.Engine;
using Amlfs.Learning.Anomaly;
using Amlfs.Learning.Calibration;
using Amlfs.Learning.Evaluation;
using Amlfs.Learning.Models;
using Amlfs.Learning.Training;
using Amlfs.Learning.Trees;
using Amlfs.Parquet.Training;
using Amlfs.Scoring;
using Amlfs.Storage;
using Spectre.Console;

namespace Amlfs.Cli.Evaluation;

/// <summary>
/// Evaluates a model version (or the rules) on a period of an offline store: the labelled transactions of the period
/// with their point-in-time features, computed under the model's data directory's active definitions (every label
/// known now counts), scored as <c>/predict</c> scores them; the rules model is scored on the same rows for
/// comparison. With a report path, also writes the HTML report (<see cref="EvaluationReport"/>), and keeps a copy of a
/// registered version's in the model registry (<see cref="ModelRegistry.ReportPath"/>).
/// </summary>
internal static class ModelEvaluation
{
    /// <summary>Rows explained with TreeSHAP for the report's feature ranking and summary plot.</summary>
    private const int ExplainedRows = 2_000;

    public static async Task<ModelEvaluationResult> RunAsync(
        IAnsiConsole console, string root, string store, string model, TransactionRowSelection selection, int parallelism, string? report,
        CancellationToken cancellationToken)
    {
        var definition = new RegistryStore(root).Active.Definition;
        var plan = FeaturePlan.Compile(definition);
        if (plan.Entity("customer") is null)
            throw new InvalidDataException("the active definitions have no customer entity");
        var layout = ModelInputLayout.Of(plan);
        var registry = new ModelRegistry(root);
        var version = model == "active" ? registry.ActiveVersion ?? ModelKinds.Rules : model;
        ModelManifest? manifest = null;
        if (version != ModelKinds.Rules)
            manifest = registry.Find(version) ?? throw new InvalidDataException($"no model version '{version}' in {registry.Directory}");

        var set = await TrainingSetProgressBars.ComputeAsync(console, store, plan, EngineOptions.From(definition), selection, parallelism, cancellationToken).ConfigureAwait(false);
        if (set.Count == 0)
            throw new InvalidDataException($"the offline store at {store} has no labelled transaction in the period");
        var labels = set.Labels;

        var rulesSettings = RulesSettings(layout);
        var rules = RulesScores(set, layout, rulesSettings);
        var rulesMetrics = ModelMetrics.Measure(rules, labels, rulesSettings.HighThreshold, []);
        double[] scores;
        double high;
        double medium;
        double[] anomaly = [];
        (IReadOnlyList<string> Names, double[] Shap, double[] Values) explained = ([], [], []);
        if (manifest is null)
        {
            (scores, high, medium) = (rules, rulesSettings.HighThreshold, rulesSettings.MediumThreshold);
        }
        else
        {
            var trees = TreeEnsemble.Parse(registry.ModelText(manifest));
            var matrix = new LabeledMatrix(ModelMatrix.From(set, manifest.FeatureNames, 0, set.Count), manifest.FeatureNames.Count, labels);
            var calibration = ProbabilityCalibration.FromJson(manifest.Calibration.GetRawText());
            scores = ModelTraining.Calibrated(calibration, ModelTraining.RawScores(trees, matrix));
            (high, medium) = (manifest.Thresholds.High, manifest.Thresholds.Medium);
            if (registry.AnomalyJson(manifest) is { } json)
            {
                anomaly = new double[set.Count];
                IsolationForest.FromJson(json).Score(matrix.Features.Span, anomaly);
            }

            if (report is not null)
            {
                var (shap, values) = Explain(trees, matrix);
                explained = (manifest.FeatureNames, shap, values);
            }
        }

        var metrics = ModelMetrics.Measure(scores, labels, high, anomaly);
        var typologies = Typologies(set, scores, high, rules, rulesSettings.HighThreshold);
        if (report is not null)
        {
            var page = new EvaluationReportData
            {
                Title = $"amlfs evaluate: {version}",
                ModelVersion = version,
                RulesVersion = rulesSettings.Version,
                Period = Period(set),
                Labels = labels,
                ModelScores = scores,
                RulesScores = rules,
                // A budget no tie group fits leaves a level empty (threshold +infinity); the plots mark it at 1.
                HighThreshold = Math.Min(high, 1),
                MediumThreshold = Math.Min(medium, Math.Min(high, 1)),
                AnomalyScores = anomaly.Length == 0 ? null : anomaly,
                TypologyRecalls = typologies,
                FeatureNames = explained.Names,
                ShapValues = explained.Shap,
                FeatureValues = explained.Values,
            };
            EvaluationReport.Write(page, report);
            if (manifest is not null)
                KeepReport(registry, version, report);
        }

        return new ModelEvaluationResult(version, metrics, rulesMetrics, typologies);
    }

    /// <summary>
    /// Keeps a copy of a registered version's report in the model registry, where the dashboard's model page finds it;
    /// replaced whole, so a reader never sees half of one.
    /// </summary>
    private static void KeepReport(ModelRegistry registry, string version, string report)
    {
        var kept = registry.ReportPath(version);
        Directory.CreateDirectory(Path.GetDirectoryName(kept)!);
        var temporary = kept + ".tmp";
        File.Copy(report, temporary, overwrite: true);
        File.Move(temporary, kept, overwrite: true);
    }

    /// <summary>TreeSHAP values and feature values of rows spread evenly over the period, for the report's SHAP sections.</summary>
    private static (double[] Shap, double[] Values) Explain(TreeEnsemble trees, LabeledMatrix matrix)
    {
        var rows = Math.Min(ExplainedRows, matrix.Rows);
        var width = matrix.Columns;
        var explainer = new TreeShapExplainer(trees);
        var shap = new double[rows * width];
        var values = new double[rows * width];
        var features = matrix.Features.Span;
        for (var r = 0; r < rows; r++)
        {
            var row = (int)((long)r * matrix.Rows / rows);
            var input = features.Slice(row * width, width);
            input.CopyTo(values.AsSpan(r * width, width));
            explainer.Explain(input, shap.AsSpan(r * width, width));
        }

        return (shap, values);
    }

    /// <summary>The rules model's score of every row, from the same features.</summary>
    private static double[] RulesScores(TransactionTrainingSet set, ModelInputLayout layout, RulesModelSettings settings)
    {
        var rules = new RulesRiskModel(settings, layout.Names);
        var matrix = ModelMatrix.From(set, layout.Names, 0, set.Count);
        var scores = new double[set.Count];
        for (var r = 0; r < scores.Length; r++)
            scores[r] = rules.Score(matrix.AsSpan(r * layout.Count, layout.Count), set.AmountCents[r] / 100m).Score;
        return scores;
    }

    private static RulesModelSettings RulesSettings(ModelInputLayout layout) =>
        RulesModelConfig.Parse(RulesModelConfig.DefaultText(), RulesModelConfig.DefaultFileName, new Dictionary<string, string>(), layout.Names);

    /// <summary>
    /// Per typology of the positives: how many, the share each model puts at its own HIGH, and each model's recall at
    /// 1% false-positive rate over the typology's positives and every negative.
    /// </summary>
    private static List<TypologyRecall> Typologies(TransactionTrainingSet set, double[] scores, double high, double[] rules, double rulesHigh)
    {
        var negatives = Enumerable.Range(0, set.Count).Where(r => !set.Labels[r]).ToArray();
        double RecallAt1PctFpr(double[] all, int[] positives)
        {
            int[] rows = [.. negatives, .. positives];
            return BinaryMetrics.RecallAtFalsePositiveRate(rows.Select(r => all[r]).ToArray(), rows.Select(r => set.Labels[r]).ToArray(), 0.01);
        }

        return Enumerable.Range(0, set.Count)
            .Where(r => set.Labels[r])
            .GroupBy(r => set.Typologies[r].Length == 0 ? "(none)" : set.Typologies[r], StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Typology: g.Key, Rows: g.ToArray()))
            .Select(g => new TypologyRecall(
                g.Typology, g.Rows.Length,
                g.Rows.Count(r => scores[r] >= high) / (double)g.Rows.Length, g.Rows.Count(r => rules[r] >= rulesHigh) / (double)g.Rows.Length,
                RecallAt1PctFpr(scores, g.Rows), RecallAt1PctFpr(rules, g.Rows)))
            .ToList();
    }

    private static string Period(TransactionTrainingSet set) =>
        $"{DateTimeOffset.FromUnixTimeMilliseconds(set.TimesMs[0]):yyyy-MM-dd HH:mm} to {DateTimeOffset.FromUnixTimeMilliseconds(set.TimesMs[^1]):yyyy-MM-dd HH:mm} UTC";
}
