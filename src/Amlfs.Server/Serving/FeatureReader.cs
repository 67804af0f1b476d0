using Amlfs.Engine;
using Amlfs.Server.Contracts;
using Amlfs.Server.FeatureLogging;
using Amlfs.Server.Observability;

namespace Amlfs.Server.Serving;

/// <summary>
/// Reads every stored feature of one entity as of a time, as <c>GET /features</c> serves them, from whichever
/// <see cref="IFeatureSource"/> runs; every vector it serves goes to the data quality counts and to the feature log when
/// there is one.
/// </summary>
internal sealed class FeatureReader(ActiveDefinitions definitions, IFeatureSource source, FeatureQuality quality, FeatureLogger? log, TimeProvider clock)
{
    /// <inheritdoc cref="IFeatureSource.AsOfProblem"/>
    public string? AsOfProblem(long asOfMs) => source.AsOfProblem(asOfMs);

    /// <summary>The features of <paramref name="id"/> as of <paramref name="asOfMs"/>, by name.</summary>
    /// <remarks>
    /// Throws <see cref="ArgumentOutOfRangeException"/> when the retained history moved past the as-of time since
    /// <see cref="AsOfProblem"/> was asked.
    /// </remarks>
    public async ValueTask<FeaturesResponse> ReadAsync(EntityPlan entity, string id, long asOfMs, CancellationToken cancellationToken)
    {
        var values = new double[entity.Features.Count];
        var read = await source.ReadAsync(entity, id, asOfMs, values, cancellationToken).ConfigureAwait(false);
        quality.Record(entity, values);
        log?.LogFeatures(entity, id, asOfMs, read.LogSequence, read.Neighbours, clock.GetUtcNow().ToUnixTimeMilliseconds(), values);
        var features = new Dictionary<string, double>(values.Length, StringComparer.Ordinal);
        for (var i = 0; i < values.Length; i++)
            features[entity.Features[i].Name] = values[i];
        return new FeaturesResponse
        {
            Entity = entity.Name,
            EntityId = id,
            AsOf = DateTimeOffset.FromUnixTimeMilliseconds(asOfMs),
            Known = read.Known,
            Features = features,
            RegistryVersion = definitions.Registry.Number,
        };
    }
}
