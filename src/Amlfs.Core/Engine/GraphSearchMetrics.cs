using System.Diagnostics;
using System.Diagnostics.Metrics;
using Amlfs.Registry;

namespace Amlfs.Engine;

/// <summary>
/// Signals of the graph searches, per evaluation of a graph aggregation, tagged with the aggregation's name: how many
/// ran, how many stopped at a bound of their definition, and how long each took (reading the states it reached
/// first included). Measured only while a meter listener listens (<c>amlfs bench engine</c>, dotnet-counters, and a
/// server's <c>/metrics</c>, which exports them as <c>amlfs_graph_*</c> Prometheus series).
/// </summary>
public static class GraphSearchMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Amlfs.Engine.Graph";

    /// <summary>The tag that names the aggregation.</summary>
    public const string AggregationTag = "aggregation";

    /// <summary>The counter of evaluations.</summary>
    public const string SearchesName = "amlfs_graph_searches";

    /// <summary>The counter of evaluations that stopped at a bound.</summary>
    public const string BoundHitsName = "amlfs_graph_bound_hits";

    /// <summary>The histogram of evaluation times, in microseconds.</summary>
    public const string DurationName = "amlfs_graph_search_duration";

    private static readonly Meter Meter = new(MeterName);
    private static readonly string[] Names = Enum.GetValues<AggregationKind>().Select(AggregationNames.Name).ToArray();

    private static readonly Counter<long> Searches = Meter.CreateCounter<long>(
        SearchesName, description: "Evaluations of a graph aggregation");

    private static readonly Counter<long> BoundHits = Meter.CreateCounter<long>(
        BoundHitsName, description: "Evaluations of a graph aggregation that stopped at a bound of its definition");

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        DurationName, unit: "us", description: "Time of one evaluation of a graph aggregation");

    /// <summary>Whether anyone listens, so that a search is timed.</summary>
    internal static bool Enabled => Searches.Enabled || Duration.Enabled;

    internal static void Searched(AggregationKind kind, bool boundHit, long startTimestamp)
    {
        var tag = new KeyValuePair<string, object?>(AggregationTag, Names[(int)kind]);
        Searches.Add(1, tag);
        if (boundHit)
            BoundHits.Add(1, tag);
        Duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalMicroseconds, tag);
    }
}
