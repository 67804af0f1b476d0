namespace Amlfs.Registry;

/// <summary>The spelling of aggregations in definitions files and expressions.</summary>
public static class AggregationNames
{
    private static readonly Dictionary<string, AggregationKind> ByName = new(StringComparer.Ordinal)
    {
        ["count"] = AggregationKind.Count,
        ["sum"] = AggregationKind.Sum,
        ["avg"] = AggregationKind.Avg,
        ["min"] = AggregationKind.Min,
        ["max"] = AggregationKind.Max,
        ["stddev"] = AggregationKind.StdDev,
        ["distinct_count"] = AggregationKind.DistinctCount,
        ["first_time"] = AggregationKind.FirstTime,
        ["last_time"] = AggregationKind.LastTime,
    };

    public static string List => string.Join(", ", ByName.Keys);

    public static AggregationKind? TryParse(string name) => ByName.TryGetValue(name, out var kind) ? kind : null;

    public static string Name(AggregationKind kind) => ByName.First(p => p.Value == kind).Key;
}
