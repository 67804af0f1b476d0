using System.Diagnostics;
using Amlfs.Engine;
using Amlfs.OnlineStore;
using Amlfs.Registry;
using Amlfs.Registry.Expressions;
using Amlfs.Server.Observability;
using Amlfs.Transactions;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Serving;

/// <summary>
/// Features of a stateless replica: each entity's window state is read from the online store (where workers put it,
/// under the key of this plan's <see cref="EntityStateFormat.Version"/>) and evaluated as of the request time with the
/// engine's evaluator. A replica sees no global watermark, so the query history is measured from its own clock. Every
/// call is one round trip (<see cref="IOnlineStore.ReadManyAsync"/> for many keys); a failure is counted, logged when
/// the store goes from answering to failing (and back), and thrown as <see cref="FeaturesUnavailableException"/> naming
/// the store's <paramref name="endpoint"/>. Bytes that cannot be evaluated throw <see cref="UnreadableEntityStateException"/>
/// naming the entity.
/// </summary>
internal sealed partial class OnlineStoreFeatureSource(
    IOnlineStore store, string endpoint, EntityStateFormat format, EngineOptions options, TimeProvider clock, OnlineStoreSignals signals, ILogger logger)
    : IFeatureSource
{
    private readonly EntityPlan? _customer = format.Plan.Entity("customer");
    private readonly EntityPlan? _merchant = format.Plan.Entity("merchant");

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
        var bytes = await ReadManyAsync([OnlineStoreKey.For(format, entity.Name, id)], cancellationToken).ConfigureAwait(false);
        try
        {
            var sequence = format.Evaluate(entity, bytes[0], asOfMs, features);
            return new EntityRead(bytes[0] is { Length: > 0 }, sequence);
        }
        catch (InvalidDataException e)
        {
            throw new UnreadableEntityStateException(entity.Name, id, e);
        }
    }

    public async ValueTask<ScoringInputs[]> ReadForScoringAsync(IReadOnlyList<Transaction> transactions, CancellationToken cancellationToken)
    {
        var customer = _customer ?? throw new InvalidOperationException("the definitions have no customer entity");
        var perTransaction = _merchant is null ? 1 : 2;
        var keys = new OnlineStoreKey[transactions.Count * perTransaction];
        for (var i = 0; i < transactions.Count; i++)
        {
            keys[i * perTransaction] = OnlineStoreKey.For(format, customer.Name, transactions[i].CustomerId);
            if (_merchant is not null)
                keys[(i * perTransaction) + 1] = OnlineStoreKey.For(format, _merchant.Name, transactions[i].MerchantId);
        }

        var states = await ReadManyAsync(keys, cancellationToken).ConfigureAwait(false);
        var inputs = new ScoringInputs[transactions.Count];
        var (entity, id) = (customer.Name, ""); // what is being evaluated, for the error
        try
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                var transaction = transactions[i];
                var q = transaction.TimestampMs;
                var input = inputs[i] = new ScoringInputs(customer, _merchant);
                var state = states[i * perTransaction];
                (entity, id) = (customer.Name, transaction.CustomerId);
                var sequence = format.Evaluate(customer, state, q, input.CustomerValues, new ExpressionScope(q, (double)transaction.Amount));
                input.Customer = new EntityRead(state is { Length: > 0 }, sequence);
                if (_merchant is not null)
                {
                    state = states[(i * perTransaction) + 1];
                    (entity, id) = (_merchant.Name, transaction.MerchantId);
                    sequence = format.Evaluate(_merchant, state, q, input.MerchantFeatures);
                    input.Merchant = new EntityRead(state is { Length: > 0 }, sequence);
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw new UnreadableEntityStateException(entity, id, e);
        }

        return inputs;
    }

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
