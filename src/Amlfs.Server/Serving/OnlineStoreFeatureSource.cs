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
        var evaluation = new Evaluation(entity, id, states[0], InflowsOf(entity, states, 0), asOfMs, new double[entity.ValueCount],
            new ExpressionScope(asOfMs, null));
        await EvaluateAsync([evaluation], cancellationToken).ConfigureAwait(false);
        FeatureEngine.CopyFeatures(entity, evaluation.Values, features);
        return new EntityRead(Known(evaluation.State, evaluation.Inflows), evaluation.Sequence);
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
                if (inputs[i].Ids[g] is { } id && layout.Selection(g)?.IsEmpty != true)
                    AddKeys(keys, layout.Entities[g], id);
            }
        }

        var states = await ReadManyAsync([.. keys], cancellationToken).ConfigureAwait(false);
        var evaluations = new Evaluation[inputs.Length * layout.Entities.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            var transaction = transactions[i];
            var q = transaction.TimestampMs;
            var named = new ExpressionScope(q, (double)transaction.Amount, FeatureEngine.RequestFieldsOf(transaction));
            var input = inputs[i];
            for (var g = 0; g < layout.Entities.Count; g++)
            {
                var plan = layout.Entities[g];
                var selection = layout.Selection(g);
                // An entity the transaction does not name reads as unknown, with nothing to compare with the request; one
                // whose values are not read is not fetched.
                evaluations[(i * layout.Entities.Count) + g] = input.Ids[g] is { } id && selection?.IsEmpty != true
                    ? new Evaluation(plan, id, states[at[i, g]], InflowsOf(plan, states, at[i, g]), q, input.Values[g], named, selection)
                    : new Evaluation(plan, "", null, null, q, input.Values[g], named with { Request = null }, selection);
            }
        }

        await EvaluateAsync(evaluations, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < inputs.Length; i++)
        {
            for (var g = 0; g < layout.Entities.Count; g++)
            {
                var evaluation = evaluations[(i * layout.Entities.Count) + g];
                inputs[i].Reads[g] = new EntityRead(Known(evaluation.State, evaluation.Inflows), evaluation.Sequence);
            }
        }

        return inputs;
    }

    /// <summary>
    /// Evaluates entities from their fetched states. The graph features of an entity type that read other accounts
    /// (<see cref="EntityPlan.ReadsNeighbours"/>) fetch the accounts their searches reach level by level: every
    /// evaluation that missed one is evaluated again after one round trip fetched what all of them missed, until none
    /// misses one. The values of an evaluation that missed nothing are those of an engine that held every state (see
    /// docs/graph.md), whatever else the shared states hold; so a batch costs a round trip per level, not per
    /// transaction. The bounds of the definitions bound the accounts fetched.
    /// </summary>
    /// <exception cref="UnreadableEntityStateException">Bytes of an entity or of an account reached cannot be read.</exception>
    private async ValueTask EvaluateAsync(Evaluation[] evaluations, CancellationToken cancellationToken)
    {
        var shared = new Dictionary<EntityPlan, NeighbourStates>();
        var pending = new List<Evaluation>();
        foreach (var evaluation in evaluations)
        {
            if (evaluation.Selection?.ReadsNeighbours ?? evaluation.Entity.ReadsNeighbours)
                pending.Add(evaluation);
            else
                Evaluate(evaluation, null);
        }

        for (var round = 0; pending.Count > 0; round++)
        {
            var unsettled = new List<Evaluation>();
            foreach (var evaluation in pending)
            {
                if (!shared.TryGetValue(evaluation.Entity, out var neighbours))
                    shared[evaluation.Entity] = neighbours = new NeighbourStates(format, evaluation.Entity);
                var misses = neighbours.Misses;
                Evaluate(evaluation, neighbours);
                if (neighbours.Misses != misses)
                    unsettled.Add(evaluation);
            }

            if (unsettled.Count == 0)
                return;
            // Each round settles at least one more level of every search; a search has at most MaxHops levels.
            if (round == GraphSearchRules.MaxHops)
                throw new InvalidOperationException($"the graph searches of '{unsettled[0].Entity.Name}' still miss accounts after {round} rounds");
            var wanted = shared.SelectMany(p => p.Value.TakeMissing().Select(hash => (Entity: p.Key, Neighbours: p.Value, Hash: hash))).ToArray();
            var keys = new OnlineStoreKey[wanted.Length * 2];
            for (var i = 0; i < wanted.Length; i++)
            {
                keys[2 * i] = OnlineStoreKey.ForFingerprint(format, wanted[i].Entity.Name, wanted[i].Hash);
                keys[(2 * i) + 1] = keys[2 * i] with { Inflows = true };
            }

            var fetched = await ReadManyAsync(keys, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < wanted.Length; i++)
            {
                try
                {
                    wanted[i].Neighbours.Add(wanted[i].Hash, fetched[2 * i], fetched[(2 * i) + 1]);
                }
                catch (InvalidDataException e)
                {
                    throw new UnreadableEntityStateException(wanted[i].Entity.Name, keys[2 * i].Id, e);
                }
            }

            pending = unsettled;
        }
    }

    private void Evaluate(Evaluation evaluation, NeighbourStates? neighbours)
    {
        try
        {
            evaluation.Sequence = format.Evaluate(evaluation.Entity, evaluation.State, evaluation.Inflows, evaluation.AsOf, evaluation.Values,
                evaluation.Scope, neighbours, evaluation.Selection);
        }
        catch (InvalidDataException e)
        {
            throw new UnreadableEntityStateException(evaluation.Entity.Name, evaluation.Id, e);
        }
    }

    /// <summary>
    /// One entity to evaluate from its fetched state into <see cref="Values"/> (the values of <see cref="Selection"/>
    /// when given), and the log sequence it read.
    /// </summary>
    private sealed class Evaluation(
        EntityPlan entity, string id, byte[]? state, byte[]? inflows, long asOf, double[] values, ExpressionScope scope, EntitySelection? selection = null)
    {
        public EntitySelection? Selection { get; } = selection;

        public EntityPlan Entity { get; } = entity;

        public string Id { get; } = id;

        public byte[]? State { get; } = state;

        public byte[]? Inflows { get; } = inflows;

        public long AsOf { get; } = asOf;

        public double[] Values { get; } = values;

        public ExpressionScope Scope { get; } = scope;

        public long Sequence { get; set; }
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
