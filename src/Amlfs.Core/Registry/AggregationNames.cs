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
        ["hour_entropy"] = AggregationKind.HourEntropy,
        ["hour_share"] = AggregationKind.HourShare,
        ["interval_cv"] = AggregationKind.IntervalCv,
        ["amount_trend"] = AggregationKind.AmountTrend,
        ["concentration"] = AggregationKind.Concentration,
        ["amount_concentration"] = AggregationKind.AmountConcentration,
        ["new_distinct_count"] = AggregationKind.NewDistinctCount,
        ["cycle_count"] = AggregationKind.CycleCount,
        ["scatter_gather"] = AggregationKind.ScatterGather,
        ["gather_scatter"] = AggregationKind.GatherScatter,
        ["degree"] = AggregationKind.Degree,
        ["clustering_coefficient"] = AggregationKind.ClusteringCoefficient,
        ["ego_betweenness"] = AggregationKind.EgoBetweenness,
        ["outlier_share"] = AggregationKind.OutlierShare,
        ["first_seen"] = AggregationKind.FirstSeen,
        ["last_seen_time"] = AggregationKind.LastSeenTime,
    };

    /// <summary>Kinds that aggregate the amount: its field is <c>amount</c>, the default.</summary>
    public static bool AggregatesAmount(AggregationKind kind) =>
        kind is AggregationKind.Sum or AggregationKind.Avg or AggregationKind.Min or AggregationKind.Max
            or AggregationKind.StdDev or AggregationKind.AmountTrend or AggregationKind.OutlierShare;

    /// <summary>Kinds that read a field's values: the field is required and is not the amount.</summary>
    public static bool CountsValues(AggregationKind kind) =>
        kind is AggregationKind.DistinctCount or AggregationKind.Concentration or AggregationKind.AmountConcentration
            or AggregationKind.NewDistinctCount || ComparesWithRequest(kind);

    /// <summary>
    /// Kinds that compare the entity's events with the request being scored (<c>first_seen</c>, <c>last_seen_time</c>):
    /// request features, exact over windows up to 30 days.
    /// </summary>
    public static bool ComparesWithRequest(AggregationKind kind) =>
        kind is AggregationKind.FirstSeen or AggregationKind.LastSeenTime;

    /// <summary>
    /// Kinds computed from the window's events one by one, not from mergeable sums: their windows are exact (up to 1h,
    /// or up to 7d with <c>hop: exact</c>).
    /// </summary>
    public static bool ScansEvents(AggregationKind kind) =>
        CountsValues(kind) || SearchesGraph(kind) || kind is AggregationKind.HourEntropy or AggregationKind.HourShare
            or AggregationKind.IntervalCv or AggregationKind.AmountTrend or AggregationKind.OutlierShare;

    /// <summary>The threshold of <c>outlier_share</c> when a definition gives none: 3 standard deviations.</summary>
    public const double DefaultThresholdSd = 3;

    /// <summary>
    /// Kinds over the account's windowed transfer graph: an account entity with inflows, exact windows, the counterparty
    /// of each event, no field and no filter; their bounds come from the definition (<see cref="GraphBounds"/>).
    /// </summary>
    public static bool SearchesGraph(AggregationKind kind) =>
        kind is AggregationKind.CycleCount or AggregationKind.ScatterGather or AggregationKind.GatherScatter
            or AggregationKind.Degree or AggregationKind.ClusteringCoefficient or AggregationKind.EgoBetweenness;

    /// <summary>Graph kinds that read the states of other accounts, not the account's own events alone.</summary>
    public static bool ReadsNeighbours(AggregationKind kind) =>
        kind is AggregationKind.CycleCount or AggregationKind.ScatterGather or AggregationKind.ClusteringCoefficient
            or AggregationKind.EgoBetweenness;

    public static string List => string.Join(", ", ByName.Keys);

    public static AggregationKind? TryParse(string name) => ByName.TryGetValue(name, out var kind) ? kind : null;

    public static string Name(AggregationKind kind) => ByName.First(p => p.Value == kind).Key;
}
