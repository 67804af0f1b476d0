using System.Diagnostics.Metrics;
using Amlfs.Registry;

namespace Amlfs.Engine;

/// <summary>
/// Signals of the graph searches, per evaluation of a graph aggregation: how many ran and how many hit their bound,
/// tagged with the aggregation's name. A meter listener (the server's /metrics, <c>amlfs bench engine</c>) reads them.
/// </summary>
public static class GraphSearchMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Amlfs.Engine.Graph";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Searches = Meter.CreateCounter<long>("amlfs_graph_searches", description: "Evaluations of a graph aggregation");
    private static readonly Counter<long> BoundHits = Meter.CreateCounter<long>(
        "amlfs_graph_bound_hits", description: "Evaluations of a graph aggregation that stopped at a bound of its definition");

    internal static void Searched(AggregationKind kind, bool boundHit)
    {
        if (!Searches.Enabled)
            return;
        var tag = new KeyValuePair<string, object?>("aggregation", AggregationNames.Name(kind));
        Searches.Add(1, tag);
        if (boundHit)
            BoundHits.Add(1, tag);
    }
}
