using Amlfs.Engine;
using Amlfs.Scoring;
using Amlfs.Transactions;

namespace Amlfs.Server.Serving;

/// <summary>
/// Where the API's feature values come from, so that handlers do not care: the embedded engine (every call completes
/// synchronously) or entity states that workers wrote to an online store (a stateless replica, one store round trip per
/// call). Both evaluate with the engine's own evaluator, so the same state gives the same bits. A source that cannot
/// reach its store throws <see cref="FeaturesUnavailableException"/>, which the API answers with 503.
/// </summary>
internal interface IFeatureSource
{
    /// <summary>
    /// Why features cannot be read as of <paramref name="asOfMs"/> (in the future beyond the allowed clock skew, or
    /// older than the query history), or null when they can.
    /// </summary>
    string? AsOfProblem(long asOfMs);

    /// <summary>Every stored feature of one entity as of <paramref name="asOfMs"/>, in <c>entity.Features</c> order.</summary>
    ValueTask<EntityRead> ReadAsync(EntityPlan entity, string id, long asOfMs, double[] features, CancellationToken cancellationToken);

    /// <summary>
    /// What scoring each transaction needs, as of the transaction's own time: the values of every entity type of
    /// <paramref name="layout"/> that the transaction names, request features included. All of them in one round trip
    /// to the store.
    /// </summary>
    ValueTask<ScoringInputs[]> ReadForScoringAsync(IReadOnlyList<Transaction> transactions, ModelInputLayout layout, CancellationToken cancellationToken);
}
