using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Server.Observability;
using Amlfs.Testing;
using Prometheus;

namespace Amlfs.Server.Tests;

/// <summary>The data quality counts of served vectors, against the ranges the aggregations allow.</summary>
public sealed class FeatureQualityTests
{
    private static readonly FeaturePlan Plan = FeaturePlan.Compile(TestEngines.Default);

    [Fact]
    public async Task Missing_values_and_values_outside_their_aggregations_range_are_counted_per_feature()
    {
        var registry = Metrics.NewCustomRegistry();
        var quality = new FeatureQuality(Plan, registry);
        var customer = Plan.Entity("customer")!;
        var count = customer.IndexOf("txn_count_1h");
        var entropy = customer.IndexOf("temporal_hour_entropy");
        var derived = customer.IndexOf("velocity_score_1h");
        var vector = new double[customer.Features.Count + customer.RequestFeatures.Count];

        quality.Record(customer, vector);
        vector[count] = -1;
        vector[entropy] = Math.Log2(24) + 0.5;
        vector[derived] = double.NaN;
        quality.Record(customer, vector);
        vector[derived] = -1e9; // no range: never out of it
        quality.Record(customer, vector);
        var text = await ExportAsync(registry);

        Assert.Contains("amlfs_feature_vectors_total{entity=\"customer\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("amlfs_feature_vectors_total{entity=\"merchant\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("amlfs_feature_out_of_range_total{entity=\"customer\",feature=\"txn_count_1h\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("amlfs_feature_out_of_range_total{entity=\"customer\",feature=\"temporal_hour_entropy\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("amlfs_feature_missing_total{entity=\"customer\",feature=\"velocity_score_1h\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("amlfs_feature_missing_total{entity=\"customer\",feature=\"txn_count_1h\"} 0\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AggregationKind.Count, 0, double.PositiveInfinity)]
    [InlineData(AggregationKind.DistinctCount, 0, double.PositiveInfinity)]
    [InlineData(AggregationKind.Sum, 0, double.PositiveInfinity)]
    [InlineData(AggregationKind.StdDev, 0, double.PositiveInfinity)]
    [InlineData(AggregationKind.CycleCount, 0, double.PositiveInfinity)]
    [InlineData(AggregationKind.Concentration, 0, 1)]
    [InlineData(AggregationKind.ClusteringCoefficient, 0, 1)]
    [InlineData(AggregationKind.FirstSeen, 0, 1)]
    [InlineData(AggregationKind.AmountTrend, double.NegativeInfinity, double.PositiveInfinity)]
    public void An_aggregation_bounds_its_values(AggregationKind aggregation, double min, double max)
    {
        var feature = new FeatureDefinition { Name = "f", Entity = "customer", View = "v", Kind = FeatureKind.Aggregation, Aggregation = aggregation };

        Assert.Equal(new FeatureRange(min, max), FeatureRange.Of(feature));
    }

    [Fact]
    public void A_derived_feature_has_no_range()
    {
        var feature = new FeatureDefinition { Name = "f", Entity = "customer", View = "v", Kind = FeatureKind.Derived, Expression = "txn_count_1h / 60" };

        Assert.False(FeatureRange.Of(feature).IsBounded);
    }

    private static async Task<string> ExportAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
