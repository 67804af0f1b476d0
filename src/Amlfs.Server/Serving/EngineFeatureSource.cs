using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Registry.Expressions;
using Amlfs.Scoring;
using Amlfs.Transactions;

namespace Amlfs.Server.Serving;

/// <summary>
/// Features from the embedded engine: reads are in memory and every call completes before it returns. The retained
/// history is measured from the engine's watermark, the newest event it accepted. With
/// <paramref name="recordNeighbours"/> (a feature log is kept), each read of an entity type whose graph searches read
/// other accounts records them with their log sequences.
/// </summary>
internal sealed class EngineFeatureSource(FeatureEngine engine, EngineOptions options, TimeProvider clock, bool recordNeighbours = false) : IFeatureSource
{
    public string? AsOfProblem(long asOfMs)
    {
        if (AsOfRules.FutureProblem(asOfMs, clock, options) is { } future)
            return future;
        if (engine.Watermark is { } watermark && asOfMs < watermark.ToUnixTimeMilliseconds() - options.QueryHistoryMs)
            return $"is older than the retained history: features are kept for {WindowRules.FormatDuration(options.QueryHistoryMs)} before the newest event ({watermark:O})";
        return null;
    }

    /// <remarks>Throws <see cref="ArgumentOutOfRangeException"/> when the watermark moved past the as-of time since it was checked.</remarks>
    public ValueTask<EntityRead> ReadAsync(EntityPlan entity, string id, long asOfMs, double[] features, CancellationToken cancellationToken)
    {
        var neighbours = NeighbourReads(entity);
        var known = engine.Read(entity, id, asOfMs, features, out var sequence, neighbours);
        return ValueTask.FromResult(new EntityRead(known, sequence, neighbours));
    }

    public ValueTask<ScoringInputs[]> ReadForScoringAsync(IReadOnlyList<Transaction> transactions, ModelInputLayout layout, CancellationToken cancellationToken)
    {
        var inputs = new ScoringInputs[transactions.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            var transaction = transactions[i];
            var q = transaction.TimestampMs;
            var input = inputs[i] = new ScoringInputs(layout, transaction);
            var named = new ExpressionScope(q, (double)transaction.Amount, FeatureEngine.RequestFieldsOf(transaction));
            for (var g = 0; g < layout.Entities.Count; g++)
            {
                // An entity the transaction does not name has nothing to compare with the request.
                var scope = input.Ids[g] is null ? named with { Request = null } : named;
                var neighbours = NeighbourReads(layout.Entities[g]);
                var known = engine.Evaluate(layout.Entities[g], input.Ids[g], q, input.Values[g], scope, out var sequence, neighbours, layout.Selection(g));
                input.Reads[g] = new EntityRead(known, sequence, neighbours);
            }
        }

        return ValueTask.FromResult(inputs);
    }

    private List<NeighbourRead>? NeighbourReads(EntityPlan entity) => recordNeighbours && entity.ReadsNeighbours ? [] : null;
}
