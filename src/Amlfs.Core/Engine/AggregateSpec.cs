using Amlfs.Registry;

namespace Amlfs.Engine;

/// <summary>
/// One aggregation the plan computes: what, of which field, over which window and filter, for
/// <see cref="AggregationKind.NewDistinctCount"/> how far back before the window a value counts as seen, for a graph
/// aggregation its bounds, defaults filled in, and for <see cref="AggregationKind.OutlierShare"/> how many standard
/// deviations make an outlier.
/// </summary>
internal sealed record AggregateSpec(
    AggregationKind Kind, TransactionField? Field, long WindowMs, long HopMs, FeatureFilter Filter, long LookbackMs = 0,
    GraphBounds Bounds = default, double ThresholdSd = 0)
{
    public bool IsTiled => HopMs > 0;

    /// <summary>How far back from q the aggregation reads stored events: the window, or the lookback that contains it.</summary>
    public long SpanMs => Math.Max(WindowMs, LookbackMs);
}
