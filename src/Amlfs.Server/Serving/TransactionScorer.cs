using System.Diagnostics;
using System.Globalization;
using Amlfs.Engine;
using Amlfs.Scoring;
using Amlfs.Server.Contracts;
using Amlfs.Server.FeatureLogging;
using Amlfs.Server.Observability;
using Amlfs.Transactions;

namespace Amlfs.Server.Serving;

/// <summary>
/// Scores transactions: the customer's stored features as of each transaction's time (which never include the
/// transaction itself, contract rule 2), the request features, the merchant's stored features, then the risk model and
/// its explanation. The values come from whichever <see cref="IFeatureSource"/> runs, in one read for all the
/// transactions; every vector scored goes to the feature log when there is one, and every score to the metrics. Reads
/// only: recording a transaction is the caller's next step.
/// </summary>
internal sealed class TransactionScorer(
    ActiveDefinitions definitions, RulesRiskModel model, IFeatureSource features, ServerMetrics metrics, FeatureLogger? log, TimeProvider clock)
{
    public string ModelVersion => model.Settings.Version;

    /// <summary>
    /// Reads the features of every transaction as of its own time (one round trip to an online store) and scores them,
    /// in order. <paramref name="startTimestamp"/> is when the request began, for <see cref="PredictResponse.ProcessingTimeMs"/>.
    /// </summary>
    public async ValueTask<PredictResponse[]> ScoreAsync(Transaction[] transactions, CultureInfo culture, long startTimestamp, CancellationToken cancellationToken)
    {
        var inputs = await features.ReadForScoringAsync(transactions, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Scores <paramref name="transaction"/> from <paramref name="inputs"/> read as of its time.</summary>
    public (PredictResponse Response, RiskLevel Level) Score(Transaction transaction, ScoringInputs inputs, CultureInfo culture, long startTimestamp, long servedAtMs)
    {
        var customer = definitions.Customer ?? throw new InvalidOperationException("the definitions have no customer entity");
        var merchant = definitions.Merchant;
        var q = transaction.TimestampMs;
        var stored = customer.Features.Count;
        var vector = new double[stored + customer.RequestFeatures.Count];
        var values = inputs.CustomerValues;
        var amount = (double)transaction.Amount;
        FeatureEngine.CopyFeatures(customer, values, vector);
        customer.RequestValues(values).CopyTo(vector.AsSpan(stored));
        log?.LogPredict(customer, transaction.CustomerId, q, inputs.Customer.LogSequence, servedAtMs, amount, vector);
        var assessment = model.Score(vector, transaction.Amount);

        var used = new Dictionary<string, double>(vector.Length + (merchant?.Features.Count ?? 0), StringComparer.Ordinal);
        for (var i = 0; i < stored; i++)
            used[customer.Features[i].Name] = vector[i];
        for (var i = 0; i < customer.RequestFeatures.Count; i++)
            used[customer.RequestFeatures[i].Name] = vector[stored + i];
        if (merchant is not null)
        {
            var merchantValues = inputs.MerchantFeatures;
            log?.LogPredict(merchant, transaction.MerchantId, q, inputs.Merchant.LogSequence, servedAtMs, null, merchantValues);
            for (var i = 0; i < merchantValues.Length; i++)
                used.TryAdd(merchant.Features[i].Name, merchantValues[i]);
        }

        var response = new PredictResponse
        {
            TransactionId = transaction.TransactionId,
            CustomerId = transaction.CustomerId,
            MerchantId = transaction.MerchantId,
            Amount = transaction.Amount,
            RiskScore = assessment.Score,
            RiskLevel = assessment.Level.WireName(),
            FeaturesUsed = used,
            Explanation = ExplanationFormatter.Format(assessment, culture),
            ModelVersion = assessment.ModelVersion,
            ScoredAt = transaction.Timestamp,
            ProcessingTimeMs = Math.Round(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds, 3),
        };
        return (response, assessment.Level);
    }
}
