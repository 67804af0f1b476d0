using Amlfs.Engine;
using Prometheus;

namespace Amlfs.Server.Observability;

/// <summary>
/// The data quality of the feature vectors the server serves (<c>/predict</c>, <c>/batch-predict</c>,
/// <c>/features</c>), per entity type and feature: how many vectors were served, how many values were missing (NaN)
/// and how many fell outside their <see cref="FeatureRange"/>. Recording is a comparison per value and an interlocked
/// add per vector (and per bad value); the Prometheus counters are brought up to date at each scrape:
/// <c>amlfs_feature_vectors_total{entity}</c>, <c>amlfs_feature_missing_total{entity,feature}</c> and, for features
/// with a range, <c>amlfs_feature_out_of_range_total{entity,feature}</c>.
/// </summary>
internal sealed class FeatureQuality
{
    private readonly EntityQuality[] _entities;

    public FeatureQuality(FeaturePlan plan, CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(registry);
        var factory = Metrics.WithCustomRegistry(registry);
        var vectors = factory.CreateCounter("amlfs_feature_vectors_total", "Feature vectors served (by /predict, /batch-predict and /features), by entity type.", ["entity"]);
        var missing = factory.CreateCounter("amlfs_feature_missing_total", "Missing (NaN) values among the feature vectors served, by entity type and feature.", ["entity", "feature"]);
        var outOfRange = factory.CreateCounter("amlfs_feature_out_of_range_total",
            "Values outside the range their aggregation allows among the feature vectors served, by entity type and feature (features with a range only).", ["entity", "feature"]);
        _entities = new EntityQuality[plan.Entities.Count];
        foreach (var entity in plan.Entities)
            _entities[entity.Index] = new EntityQuality(entity, vectors, missing, outOfRange);
        registry.AddBeforeCollectCallback(() =>
        {
            foreach (var entity in _entities)
                entity.Publish();
        });
    }

    /// <summary>
    /// Counts one vector of <paramref name="entity"/> as served: its features in plan order, then its request features
    /// when the vector has them.
    /// </summary>
    public void Record(EntityPlan entity, ReadOnlySpan<double> vector) => _entities[entity.Index].Record(vector);

    private sealed class EntityQuality
    {
        private readonly double[] _min;
        private readonly double[] _max;
        private readonly long[] _missing;
        private readonly long[] _outOfRange;
        private readonly Counter.Child _vectorsSeries;
        private readonly Counter.Child[] _missingSeries;
        private readonly Counter.Child?[] _outOfRangeSeries;
        private long _vectors;

        public EntityQuality(EntityPlan entity, Counter vectors, Counter missing, Counter outOfRange)
        {
            var features = entity.Features.Concat(entity.RequestFeatures).ToArray();
            var ranges = features.Select(FeatureRange.Of).ToArray();
            _min = [.. ranges.Select(r => r.Min)];
            _max = [.. ranges.Select(r => r.Max)];
            _missing = new long[features.Length];
            _outOfRange = new long[features.Length];
            _vectorsSeries = vectors.WithLabels(entity.Name);
            _missingSeries = [.. features.Select(f => missing.WithLabels(entity.Name, f.Name))];
            _outOfRangeSeries = [.. features.Select((f, i) => ranges[i].IsBounded ? outOfRange.WithLabels(entity.Name, f.Name) : null)];
        }

        public void Record(ReadOnlySpan<double> vector)
        {
            Interlocked.Increment(ref _vectors);
            var count = Math.Min(vector.Length, _min.Length);
            for (var i = 0; i < count; i++)
            {
                var value = vector[i];
                if (double.IsNaN(value))
                    Interlocked.Increment(ref _missing[i]);
                else if (new FeatureRange(_min[i], _max[i]).Excludes(value))
                    Interlocked.Increment(ref _outOfRange[i]);
            }
        }

        public void Publish()
        {
            _vectorsSeries.IncTo(Interlocked.Read(ref _vectors));
            for (var i = 0; i < _missing.Length; i++)
            {
                _missingSeries[i].IncTo(Interlocked.Read(ref _missing[i]));
                _outOfRangeSeries[i]?.IncTo(Interlocked.Read(ref _outOfRange[i]));
            }
        }
    }
}
