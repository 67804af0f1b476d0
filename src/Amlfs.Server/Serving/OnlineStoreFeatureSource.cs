using System.Diagnostics;
using Amlfs.Engine;
using Amlfs.OnlineStore;
using Amlfs.Registry;
using Amlfs.Registry.Expressions;
using Amlfs.Scoring;
using Amlfs.Server.Observability;
using Amlfs.Transactions;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Serving;

/// <summary>
/// Features of a stateless replica: each entity's window state is read from the online store (where workers put it,
/// under the key of this plan's <see cref="EntityStateFormat.Version"/>) and evaluated as of the request time with the
/// engine's evaluator. An account whose type has inflows has two partial states, its outflows and its inflows, each
/// written by the worker that owns its end of the edge: both are read in the same round trip and evaluated merged. A
/// replica sees no global watermark, so the query history is measured from its own clock. Every call is one round trip
/// (<see cref="IOnlineStore.ReadManyAsync"/> for many keys); a failure is counted, logged when
/// the store goes from answering to failing (and back), and thrown as <see cref="FeaturesUnavailableException"/> naming
/// the store's <paramref name="endpoint"/>. Bytes that cannot be evaluated throw <see cref="UnreadableEntityStateException"/>
/// naming the entity.
/// </summary>
internal sealed partial class OnlineStoreFeatureSource(
    IOnlineStore store, string endpoint, EntityStateFormat format, EngineOptions options, TimeProvider clock, OnlineStoreSignals signals, ILogger logger)
    : IFeatureSource
{
    public string? AsOfProblem(long asOfMs)
    {
        if (AsOfRules.FutureProblem(asOfMs, clock, options) is { } future)
            return future;
        var now = clock.GetUtcNow();
        if (asOfMs < now.ToUnixTimeMilliseconds() - options.QueryHistoryMs)
            return $"is older than the query history: this replica serves features as of at most {WindowRules.FormatDuration(options.QueryHistoryMs)} before its clock ({now:O})";
        return null;
    }

    public async ValueTask<EntityRead> ReadAsync(EntityPlan entity, string id, long asOfMs, double[] features, CancellationToken cancellationToken)
    {
        var keys = new List<OnlineStoreKey>(2);
        AddKeys(keys, entity, id);
        var states = await ReadManyAsync([.. keys], cancellationToken).ConfigureAwait(false);
        try
        {
            var inflows = InflowsOf(entity, states, 0);
            var values = new double[entity.ValueCount];
            var sequence = await EvaluateAsync(entity, states[0], inflows, asOfMs, values, new ExpressionScope(asOfMs, null), cancellationToken)
                .ConfigureAwait(false);
            FeatureEngine.CopyFeatures(entity, values, features);
            return new EntityRead(Known(states[0], inflows), sequence);
        }
        catch (InvalidDataException e)
        {
            throw new UnreadableEntityStateException(entity.Name, id, e);
        }
    }

    public async ValueTask<ScoringInputs[]> ReadForScoringAsync(IReadOnlyList<Transaction> transactions, ModelInputLayout layout, CancellationToken cancellationToken)
    {
        // Every named entity's keys, transaction by transaction and group by group; an entity a transaction does not
        // name (no IP) takes none and reads as unknown.
        var inputs = new ScoringInputs[transactions.Count];
        var keys = new List<OnlineStoreKey>();
        var at = new int[transactions.Count, layout.Entities.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = new ScoringInputs(layout, transactions[i]);
            for (var g = 0; g < layout.Entities.Count; g++)
            {
                at[i, g] = keys.Count;
                if (inputs[i].Ids[g] is { } id)
                    AddKeys(keys, layout.Entities[g], id);
            }
        }

        var states = await ReadManyAsync([.. keys], cancellationToken).ConfigureAwait(false);
        var (entity, entityId) = ("", ""); // what is being evaluated, for the error
        try
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                var transaction = transactions[i];
                var q = transaction.TimestampMs;
                var named = new ExpressionScope(q, (double)transaction.Amount, FeatureEngine.RequestFieldsOf(transaction));
                var input = inputs[i];
                for (var g = 0; g < layout.Entities.Count; g++)
                {
                    var plan = layout.Entities[g];
                    (entity, entityId) = (plan.Name, input.Ids[g] ?? "");
                    // An entity the transaction does not name reads as unknown, with nothing to compare with the request.
                    var (state, inflows, scope) = input.Ids[g] is null
                        ? (null, null, named with { Request = null })
                        : (states[at[i, g]], InflowsOf(plan, states, at[i, g]), named);
                    var sequence = await EvaluateAsync(plan, state, inflows, q, input.Values[g], scope, cancellationToken).ConfigureAwait(false);
                    input.Reads[g] = new EntityRead(Known(state, inflows), sequence);
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw new UnreadableEntityStateException(entity, entityId, e);
        }

        return inputs;
    }

    /// <summary>
    /// Evaluates one entity from its fetched state; when its graph features read other accounts
    /// (<see cref="EntityPlan.ReadsNeighbours"/>), fetches the accounts the searches reach level by level, one round trip
    /// per level, and evaluates again until no search misses one: the values of the last round are those of an engine
    /// that held every state (see docs/graph.md). The bounds of the definitions bound the accounts fetched.
    /// </summary>
    private async ValueTask<long> EvaluateAsync(EntityPlan entity, byte[]? state, byte[]? inflows, long q, double[] values,
        ExpressionScope scope, CancellationToken cancellationToken)
    {
        if (!entity.ReadsNeighbours)
            return format.Evaluate(entity, state, inflows, q, values, scope);
        var neighbours = new NeighbourStates(format, entity);
        for (var round = 0; ; round++)
        {
            var sequence = format.Evaluate(entity, state, inflows, q, values, scope, neighbours);
            if (neighbours.Missing.Count == 0)
                return sequence;
            // Each round settles at least one more level of every search; a search has at most MaxHops levels.
            if (round == GraphSearchRules.MaxHops)
                throw new InvalidOperationException($"the graph searches of '{entity.Name}' still miss accounts after {round} rounds");
            var missing = neighbours.TakeMissing();
            var keys = new OnlineStoreKey[missing.Length * 2];
            for (var i = 0; i < missing.Length; i++)
            {
                keys[2 * i] = OnlineStoreKey.ForFingerprint(format, entity.Name, missing[i]);
                keys[(2 * i) + 1] = keys[2 * i] with { Inflows = true };
            }

            var fetched = await ReadManyAsync(keys, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < missing.Length; i++)
                neighbours.Add(missing[i], fetched[2 * i], fetched[(2 * i) + 1]);
        }
    }

    /// <summary>
    /// Adds the keys one entity's state takes: its own and, for an account type with inflows, that of its inflows,
    /// which the worker owning its partition of the merchant-keyed topic writes (<see cref="OnlineStoreKey"/>).
    /// </summary>
    private void AddKeys(List<OnlineStoreKey> keys, EntityPlan entity, string id)
    {
        keys.Add(OnlineStoreKey.For(format, entity.Name, id));
        if (entity.Definition.Inflows)
            keys.Add(OnlineStoreKey.ForInflows(format, entity.Name, id));
    }

    /// <summary>The partial state of the inflows of the entity whose keys start at <paramref name="at"/>, or null.</summary>
    private static byte[]? InflowsOf(EntityPlan entity, byte[]?[] states, int at) => entity.Definition.Inflows ? states[at + 1] : null;

    private static bool Known(byte[]? state, byte[]? inflows) => state is { Length: > 0 } || inflows is { Length: > 0 };

    private async Task<byte[]?[]> ReadManyAsync(OnlineStoreKey[] keys, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        byte[]?[] states;
        try
        {
            states = await store.ReadManyAsync(keys, cancellationToken).ConfigureAwait(false);
        }
        catch (OnlineStoreUnavailableException e)
        {
            if (signals.RecordError(e.Message))
                LogUnavailable(logger, e.Message); // once per outage; each failed read is counted in /metrics
            throw new FeaturesUnavailableException(endpoint, e);
        }

        if (signals.RecordRead(start))
            LogAvailableAgain(logger);
        return states;
    }
}
