using System.Diagnostics;
using System.Globalization;
using Amlfs.Decisions;
using Amlfs.Engine;
using Amlfs.Scoring;
using Amlfs.Server.Contracts;
using Amlfs.Server.FeatureLogging;
using Amlfs.Server.Observability;
using Amlfs.Transactions;

namespace Amlfs.Server.Serving;

/// <summary>
/// Scores transactions: the stored features, as of each transaction's time (which never include the transaction itself,
/// contract rule 2), and the request features of every entity type the transaction names (the customer, the merchant,
/// and others by their join keys, such as its IP and device: <see cref="ModelInputLayout"/>), then the risk model and
/// its explanation. The values come from whichever <see cref="IFeatureSource"/> runs, in one read for all the
/// transactions; every vector scored goes to the data quality counts and to the feature log when there is one, and
/// every score to the metrics. Reads only: recording a transaction is the caller's next step.
/// </summary>
internal sealed class TransactionScorer(
    ActiveDefinitions definitions, RulesRiskModel rules, ActiveRiskModel models, IFeatureSource features, ServerMetrics metrics,
    FeatureQuality quality, FeatureLogger? log, TimeProvider clock)
{
    /// <summary>Sentences a learned model's explanation gives before the rules' own reasons.</summary>
    private const int ExplainedContributions = 3;

    /// <summary>The layout the last decisions were read with, and the model it was made for.</summary>
    private DecisionReads? _decisionLayout;

    public string ModelVersion => models.Current?.Version ?? rules.Settings.Version;

    private ModelInputLayout Layout => definitions.Layout ?? throw new InvalidOperationException("the definitions have no customer entity");

    /// <summary>
    /// Reads the features of every transaction as of its own time (one round trip to an online store) and scores them,
    /// in order. <paramref name="startTimestamp"/> is when the request began, for <see cref="PredictResponse.ProcessingTimeMs"/>.
    /// </summary>
    public async ValueTask<PredictResponse[]> ScoreAsync(Transaction[] transactions, CultureInfo culture, long startTimestamp, CancellationToken cancellationToken)
    {
        var inputs = await features.ReadForScoringAsync(transactions, Layout, cancellationToken).ConfigureAwait(false);
        var servedAtMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var responses = new PredictResponse[transactions.Length];
        for (var i = 0; i < transactions.Length; i++)
        {
            var (response, level) = Score(transactions[i], inputs[i], culture, startTimestamp, servedAtMs);
            metrics.RecordPrediction(level);
            responses[i] = response;
        }

        return responses;
    }

    /// <summary>
    /// Decisions for accepted transactions as they stream in, each scored as of its own time from the features before
    /// it and its request features, as <see cref="ScoreAsync"/> scores it, in one read for all of them. The explanation
    /// is computed only for a decision that alerts (HIGH): a learned model's exact contributions, largest first, or the
    /// rules that fired; the others keep the score alone. <paramref name="sequences"/> are the transactions' log sequences.
    /// <paramref name="explainEvery"/> explains every decision whatever its level (the dashboard, on demand).
    /// <paramref name="observeDrift"/> counts each learned model's decision in the model's <see cref="GradientBoostedRiskModel.Drift"/>
    /// (the decision stream, whose decisions are the live traffic; never a decision taken again to show it).
    /// </summary>
    public async ValueTask<Decision[]> DecideAsync(
        IReadOnlyList<Transaction> transactions, IReadOnlyList<long> sequences, CancellationToken cancellationToken, bool explainEvery = false,
        bool observeDrift = false)
    {
        // One model decides the whole batch, from an evaluation of only the features it reads.
        var model = models.Current;
        var layout = DecisionLayout(model);
        var inputs = await features.ReadForScoringAsync(transactions, layout, cancellationToken).ConfigureAwait(false);
        var decidedAtMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var drift = observeDrift ? model?.Drift : null;
        var decisions = new Decision[transactions.Count];
        var layoutValues = new double[layout.Count];
        for (var i = 0; i < decisions.Length; i++)
        {
            var transaction = transactions[i];
            for (var g = 0; g < layout.Entities.Count; g++)
                layout.FillGroup(g, inputs[i].Values[g], layoutValues);
            layout.FillAmount((double)transaction.Amount, layoutValues);
            Decision Of(double score, RiskLevel level, string version, DecisionContribution[]? contributions, double? anomaly = null) => new(
                transaction.TransactionId, transaction.CustomerId, transaction.MerchantId, transaction.DestinationType, transaction.AmountCents,
                transaction.TimestampMs, sequences[i], decidedAtMs, score, level, version)
            {
                AnomalyScore = anomaly,
                Contributions = contributions,
            };
            if (model is null)
            {
                var assessment = rules.Score(layoutValues.AsSpan(0, ModelInputLayout.Width(layout.Entities[0])), transaction.Amount);
                decisions[i] = Of(assessment.Score, assessment.Level, assessment.ModelVersion, assessment.Level == RiskLevel.High || explainEvery
                    ? [.. assessment.Reasons.Where(r => r.Code != RiskReasonCode.NoRiskFactors).Select(r => new DecisionContribution(r.Code.ToString(), r.Value, r.Contribution))]
                    : null);
                continue;
            }

            var modelInputs = new double[model.InputNames.Count];
            var verdict = model.ScoreOnly(layoutValues, modelInputs);
            DecisionContribution[]? contributions = null;
            if (verdict.Level == RiskLevel.High || explainEvery)
            {
                var shap = new double[model.InputNames.Count];
                verdict = model.Score(layoutValues, modelInputs, shap);
                contributions = [.. ByMagnitude(shap).Select(k => new DecisionContribution(model.InputNames[k], modelInputs[k], shap[k]))];
            }

            drift?.Add(transaction.TimestampMs, modelInputs, verdict.ExactProbability);
            decisions[i] = Of(verdict.Probability, verdict.Level, model.Version, contributions, verdict.AnomalyScore);
        }

        return decisions;
    }

    /// <summary>
    /// <see cref="DecideAsync"/> for a source that holds features as of <paramref name="oldestMs"/> at the earliest: a
    /// transaction older than that (decided late, in a catch-up after a long stop) is decided as of that instant instead,
    /// and its decision says so (<see cref="Decision.FeaturesAsOfMs"/>).
    /// </summary>
    public async ValueTask<Decision[]> DecideWithinAsync(
        IReadOnlyList<Transaction> transactions, IReadOnlyList<long> sequences, long oldestMs, CancellationToken cancellationToken, bool observeDrift = false)
    {
        if (transactions.All(t => t.TimestampMs >= oldestMs))
            return await DecideAsync(transactions, sequences, cancellationToken, observeDrift: observeDrift).ConfigureAwait(false);
        var asOf = transactions.Select(t => t.TimestampMs >= oldestMs ? t : t with { TimestampMs = oldestMs }).ToArray();
        var decisions = await DecideAsync(asOf, sequences, cancellationToken, observeDrift: observeDrift).ConfigureAwait(false);
        for (var i = 0; i < decisions.Length; i++)
        {
            if (!ReferenceEquals(asOf[i], transactions[i]))
                decisions[i] = decisions[i] with { EventTimeMs = transactions[i].TimestampMs, FeaturesAsOfMs = oldestMs };
        }

        return decisions;
    }

    /// <summary>
    /// What a decision by <paramref name="model"/> (the rules when null) reads: the rules read some of the customer's
    /// features, a learned model its inputs. The other values are not evaluated; the dashboard shows a decision's
    /// features from a full read.
    /// </summary>
    private ModelInputLayout DecisionLayout(GradientBoostedRiskModel? model)
    {
        if (_decisionLayout is { } cached && ReferenceEquals(cached.Model, model))
            return cached.Layout;
        var layout = model is null
            ? Layout.CustomerOnly().Selecting([EntitySelection.Of(Layout.Entities[0], rules.Reads)])
            : Layout.ReadingColumns(model.InputNames);
        _decisionLayout = new DecisionReads(model, layout);
        return layout;
    }

    /// <summary>Scores <paramref name="transaction"/> from <paramref name="inputs"/> read as of its time.</summary>
    public (PredictResponse Response, RiskLevel Level) Score(Transaction transaction, ScoringInputs inputs, CultureInfo culture, long startTimestamp, long servedAtMs)
    {
        var layout = Layout;
        var q = transaction.TimestampMs;
        var amount = (double)transaction.Amount;
        var layoutValues = new double[layout.Count];
        var used = new Dictionary<string, double>(layout.Count, StringComparer.Ordinal);
        for (var g = 0; g < layout.Entities.Count; g++)
        {
            var entity = layout.Entities[g];
            layout.FillGroup(g, inputs.Values[g], layoutValues);
            var vector = layoutValues.AsSpan(layout.Offset(g), ModelInputLayout.Width(entity));
            if (inputs.Ids[g] is { } id)
            {
                quality.Record(entity, vector);
                log?.LogPredict(entity, id, q, inputs.Reads[g].LogSequence, inputs.Reads[g].Neighbours, servedAtMs, transaction, vector);
            }

            for (var i = 0; i < vector.Length; i++)
                used.TryAdd(i < entity.Features.Count ? entity.Features[i].Name : entity.RequestFeatures[i - entity.Features.Count].Name, vector[i]);
        }

        layout.FillAmount(amount, layoutValues);
        var started = Stopwatch.GetTimestamp();
        // The customer comes first in the layout: its stored and request features are what the rules read.
        var assessment = rules.Score(layoutValues.AsSpan(0, ModelInputLayout.Width(layout.Entities[0])), transaction.Amount);

        var model = models.Current;
        var score = assessment.Score;
        var level = assessment.Level;
        var version = assessment.ModelVersion;
        ModelContributions? contributions = null;
        double? anomaly = null;
        IReadOnlyList<string> explanation;
        if (model is null)
        {
            explanation = ExplanationFormatter.Format(assessment, culture);
        }
        else
        {
            var modelInputs = new double[model.InputNames.Count];
            var shap = new double[model.InputNames.Count];
            var verdict = model.Score(layoutValues, modelInputs, shap);
            (score, level, version, anomaly) = (verdict.Probability, verdict.Level, model.Version, verdict.AnomalyScore);
            var order = ByMagnitude(shap);
            contributions = Contributions(model, verdict, order, modelInputs, shap);
            explanation = Explain(model, order, modelInputs, shap, layoutValues, assessment, culture);
        }

        metrics.RecordScore(version, score, Stopwatch.GetElapsedTime(started).TotalSeconds);
        var response = new PredictResponse
        {
            TransactionId = transaction.TransactionId,
            CustomerId = transaction.CustomerId,
            MerchantId = transaction.MerchantId,
            Amount = transaction.Amount,
            RiskScore = score,
            RiskLevel = level.WireName(),
            FeaturesUsed = used,
            Explanation = explanation,
            ModelVersion = version,
            Contributions = contributions,
            AnomalyScore = anomaly,
            ScoredAt = transaction.Timestamp,
            ProcessingTimeMs = Math.Round(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds, 3),
        };
        return (response, level);
    }

    /// <summary>The model's inputs, the largest contribution (by magnitude) first.</summary>
    private static int[] ByMagnitude(double[] shap)
    {
        var order = new int[shap.Length];
        for (var i = 0; i < order.Length; i++)
            order[i] = i;
        Array.Sort(order, (a, b) => Math.Abs(shap[b]).CompareTo(Math.Abs(shap[a])));
        return order;
    }

    private static ModelContributions Contributions(GradientBoostedRiskModel model, ModelScore verdict, int[] order, double[] inputs, double[] shap)
    {
        var features = new FeatureContribution[order.Length];
        for (var k = 0; k < order.Length; k++)
            features[k] = new FeatureContribution(model.InputNames[order[k]], inputs[order[k]], shap[order[k]]);
        return new ModelContributions { BaseValue = verdict.BaseValue, RawScore = verdict.RawScore, Features = features };
    }

    /// <summary>
    /// The largest contributions that raised the score as sentences (the largest one whatever its sign when none
    /// did), then the reasons of every regulatory rule that fired.
    /// </summary>
    private static List<string> Explain(
        GradientBoostedRiskModel model, int[] order, double[] inputs, double[] shap, double[] layoutValues, RiskAssessment rules, CultureInfo culture)
    {
        var sentences = new List<string>(ExplainedContributions + rules.Reasons.Count);
        foreach (var input in order)
        {
            if (sentences.Count == ExplainedContributions)
                break;
            if (shap[input] > 0)
                sentences.Add(Sentence(model, input, inputs, shap, layoutValues, culture));
        }

        if (sentences.Count == 0 && order.Length > 0)
            sentences.Add(Sentence(model, order[0], inputs, shap, layoutValues, culture));
        foreach (var reason in rules.Reasons)
        {
            if (reason.Code != RiskReasonCode.NoRiskFactors)
                sentences.Add(ExplanationFormatter.Format(reason, culture));
        }

        return sentences;
    }

    private static string Sentence(GradientBoostedRiskModel model, int input, double[] inputs, double[] shap, double[] layoutValues, CultureInfo culture) =>
        ContributionFormatter.Format(model.InputNames[input], inputs[input], shap[input], model.UsualLevel(input, layoutValues), culture);

    private sealed record DecisionReads(GradientBoostedRiskModel? Model, ModelInputLayout Layout);
}
