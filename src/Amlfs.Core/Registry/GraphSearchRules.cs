namespace Amlfs.Registry;

/// <summary>
/// Which bounds each graph aggregation takes, their defaults and their limits. A search that hits its bound stops
/// where the bound says and gives the value of what it explored, the same online and offline (see docs/graph.md).
/// </summary>
public static class GraphSearchRules
{
    public const int MinHops = 2;
    public const int MaxHops = 6;
    public const int DefaultHops = 4;
    public const int MaxVisits = 100_000;
    public const int DefaultCycleVisits = 2_000;
    public const int DefaultScatterVisits = 200;
    public const int MinNeighbours = 2;
    public const int MaxNeighbours = 256;
    public const int DefaultNeighbours = 64;

    /// <summary>The definitions file's keys of the bounds.</summary>
    public static readonly string[] Keys = ["max_hops", "max_visits", "max_neighbours"];

    /// <summary>
    /// The bounds of a graph aggregation with the kind's defaults filled in, or the problems of the given ones as
    /// (key, reason) pairs; bounds given to a kind that takes none are problems too.
    /// </summary>
    public static GraphBounds Resolve(AggregationKind kind, GraphBounds given, List<(string Key, string Reason)> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var name = AggregationNames.Name(kind);
        var takesHops = kind == AggregationKind.CycleCount;
        var takesVisits = kind is AggregationKind.CycleCount or AggregationKind.ScatterGather;
        var takesNeighbours = kind is AggregationKind.ClusteringCoefficient or AggregationKind.EgoBetweenness;
        var hops = Bound(given.MaxHops, takesHops, DefaultHops, MinHops, MaxHops, "max_hops");
        var visits = Bound(given.MaxVisits, takesVisits, kind == AggregationKind.CycleCount ? DefaultCycleVisits : DefaultScatterVisits,
            1, MaxVisits, "max_visits");
        var neighbours = Bound(given.MaxNeighbours, takesNeighbours, DefaultNeighbours, MinNeighbours, MaxNeighbours, "max_neighbours");
        return new GraphBounds(hops, visits, neighbours);

        int Bound(int value, bool takes, int fallback, int min, int max, string key)
        {
            if (!takes)
            {
                if (value != 0)
                    problems.Add((key, $"{name} takes no {key}"));
                return 0;
            }

            if (value == 0)
                return fallback;
            if (value >= min && value <= max)
                return value;
            problems.Add((key, $"must be between {min} and {max} for {name}, got {value}"));
            return fallback;
        }
    }
}
