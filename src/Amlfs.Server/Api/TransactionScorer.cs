using System.Diagnostics;
using System.Globalization;
using Amlfs.Engine;
using Amlfs.Registry.Expressions;
using Amlfs.Scoring;
using Amlfs.Server.Hosting;
using Amlfs.Transactions;

namespace Amlfs.Server.Api;

/// <summary>
/// Scores one transaction: the customer's stored features as of the transaction's time (which never include the
/// transaction itself, contract rule 2), the request features, the merchant's stored features, then the risk model and
/// its explanation. Reads only; ingesting a recorded transaction is the caller's next step.
/// </summary>
internal sealed class TransactionScorer(AmlfsRuntime runtime, RulesRiskModel model)
{
    public string ModelVersion => model.Settings.Version;

    /// <summary>Scores <paramref name="transaction"/>; its as-of time must have passed <see cref="AmlfsRuntime.AsOfProblem"/>.</summary>
    public (PredictResponse Response, RiskLevel Level) Score(Transaction transaction, CultureInfo culture, long startTimestamp, string? recorded = null)
    {
        var customer = runtime.Customer ?? throw new InvalidOperationException("the definitions have no customer entity");
        var engine = runtime.Engine;
        var q = transaction.TimestampMs;
        var stored = customer.Features.Count;
        var vector = new double[stored + customer.RequestFeatures.Count];
        Span<double> values = customer.ValueCount <= 256 ? stackalloc double[customer.ValueCount] : new double[customer.ValueCount];
        var amount = (double)transaction.Amount;
        engine.Evaluate(customer, transaction.CustomerId, q, values, new ExpressionScope(q, amount), out var customerSequence);
        FeatureEngine.CopyFeatures(customer, values, vector);
        customer.RequestValues(values).CopyTo(vector.AsSpan(stored));
        var log = runtime.FeatureLog;
        log?.LogPredict(customer, transaction.CustomerId, q, customerSequence, runtime.NowMs, amount, vector);
        var assessment = model.Score(vector, transaction.Amount);

        var merchant = runtime.Merchant;
        var used = new Dictionary<string, double>(vector.Length + (merchant?.Features.Count ?? 0), StringComparer.Ordinal);
        for (var i = 0; i < stored; i++)
            used[customer.Features[i].Name] = vector[i];
        for (var i = 0; i < customer.RequestFeatures.Count; i++)
            used[customer.RequestFeatures[i].Name] = vector[stored + i];
        if (merchant is not null)
        {
            Span<double> merchantValues = merchant.Features.Count <= 64 ? stackalloc double[merchant.Features.Count] : new double[merchant.Features.Count];
            engine.Read(merchant, transaction.MerchantId, q, merchantValues, out var merchantSequence);
            log?.LogPredict(merchant, transaction.MerchantId, q, merchantSequence, runtime.NowMs, null, merchantValues);
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
            RiskLevel = LevelName(assessment.Level),
            FeaturesUsed = used,
            Explanation = ExplanationFormatter.Format(assessment, culture),
            ModelVersion = assessment.ModelVersion,
            ScoredAt = transaction.Timestamp,
            Recorded = recorded,
            ProcessingTimeMs = Math.Round(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds, 3),
        };
        return (response, assessment.Level);
    }

    public static string LevelName(RiskLevel level) => level switch
    {
        RiskLevel.Low => "LOW",
        RiskLevel.Medium => "MEDIUM",
        _ => "HIGH",
    };
}
