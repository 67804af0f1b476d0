using Amlfs.Registry;

namespace Amlfs.Engine;

/// <summary>One aggregation the plan computes: what, of which field, over which window and filter.</summary>
internal sealed record AggregateSpec(
    AggregationKind Kind, TransactionField? Field, long WindowMs, long HopMs, FeatureFilter Filter)
{
    public bool IsTiled => HopMs > 0;
}
