using System.Diagnostics;
using System.Globalization;
using Amlfs.Engine;
using Amlfs.Scoring;
using Amlfs.Server.Contracts;
using Amlfs.Server.FeatureLogging;
using Amlfs.Server.Serving;
using Amlfs.Transactions;

namespace Amlfs.Server.Api;

/// <summary>
/// Scores one transaction: the customer's stored features as of the transaction's time (which never include the
/// transaction itself, contract rule 2), the request features, the merchant's stored features, then the risk model and
/// its explanation. The values come in as <see cref="ScoringInputs"/> from whichever <see cref="IFeatureSource"/> runs.
/// Reads only; ingesting a recorded transaction is the caller's next step.
/// </summary>
internal sealed class TransactionScorer(EntityPlan? customerPlan, EntityPlan? merchant, RulesRiskModel model)
{
    public string ModelVersion => model.Settings.Version;

    /// <summary>
    /// Scores <paramref name="transaction"/> from <paramref name="inputs"/> read as of its time; logs the vectors to
    /// <paramref name="log"/> when given.
    /// </summary>
    public (PredictResponse Response, RiskLevel Level) Score(Transaction transaction, ScoringInputs inputs, CultureInfo culture, long startTimestamp,
        FeatureLogger? log = null, long servedAtMs = 0)
    {
        var customer = customerPlan ?? throw new InvalidOperationException("the definitions have no customer entity");
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
