using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Amlfs.Engine;
using Amlfs.Registry;
using Prometheus;

namespace Amlfs.Server.Observability;

/// <summary>
/// Exports the engine's graph search meter (<see cref="GraphSearchMetrics"/>, <c>Amlfs.Engine.Graph</c>) as Prometheus
/// counters and a histogram per aggregation: <c>amlfs_graph_searches_total</c>, <c>amlfs_graph_bound_hits_total</c>
/// and <c>amlfs_graph_search_duration_seconds</c>. A meter listener of its own rather than prometheus-net's
/// <c>MeterAdapter</c>, which exports .NET counters as gauges, prefixes the meter's name and expires quiet series.
/// While it listens every graph search is timed (a timestamp before and after, a few interlocked adds): the meter is
/// the process's, so every server of the process sees every search.
/// </summary>
internal sealed class GraphSearchExport : IDisposable
{
    private static readonly object SearchesState = new();
    private static readonly object BoundHitsState = new();
    private static readonly object DurationState = new();

    private readonly MeterListener _listener = new();
    private readonly Counter _searches;
    private readonly Counter _boundHits;
    private readonly Histogram _duration;
    private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);

    /// <summary>Exports into <paramref name="factory"/>'s registry, with zeros for every graph aggregation of <paramref name="plan"/>.</summary>
    public GraphSearchExport(IMetricFactory factory, FeaturePlan plan)
    {
        string[] labels = [GraphSearchMetrics.AggregationTag];
        _searches = factory.CreateCounter("amlfs_graph_searches_total", "Evaluations of a graph aggregation, by aggregation.", labels);
        _boundHits = factory.CreateCounter("amlfs_graph_bound_hits_total", "Evaluations of a graph aggregation that stopped at a bound of its definition.", labels);
        _duration = factory.CreateHistogram("amlfs_graph_search_duration_seconds", "Time of one evaluation of a graph aggregation (the neighbours' states it read included).",
            labels, new HistogramConfiguration { Buckets = HistogramBounds.GraphSearch, ExemplarBehavior = ExemplarBehavior.NoExemplars() });
        foreach (var aggregation in plan.Entities.SelectMany(e => e.Features).Where(f => f.Kind == FeatureKind.Aggregation && AggregationNames.SearchesGraph(f.Aggregation)))
            SeriesOf(AggregationNames.Name(aggregation.Aggregation));

        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name != GraphSearchMetrics.MeterName)
                return;
            var state = instrument switch
            {
                Counter<long> when instrument.Name == GraphSearchMetrics.SearchesName => SearchesState,
                Counter<long> when instrument.Name == GraphSearchMetrics.BoundHitsName => BoundHitsState,
                Histogram<double> when instrument.Name == GraphSearchMetrics.DurationName => DurationState,
                _ => null,
            };
            if (state is not null)
                listener.EnableMeasurementEvents(instrument, state);
        };
        _listener.SetMeasurementEventCallback<long>(OnCount);
        _listener.SetMeasurementEventCallback<double>(OnDuration);
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    private void OnCount(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (Aggregation(tags) is not { } series)
            return;
        (ReferenceEquals(state, SearchesState) ? series.Searches : series.BoundHits).Inc(value);
    }

    /// <summary>The meter records microseconds; Prometheus wants seconds.</summary>
    private void OnDuration(Instrument instrument, double microseconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state) =>
        Aggregation(tags)?.Duration.Observe(microseconds / 1e6);

    private Series? Aggregation(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == GraphSearchMetrics.AggregationTag && tag.Value is string name)
                return SeriesOf(name);
        }

        return null;
    }

    private Series SeriesOf(string aggregation) =>
        _series.GetOrAdd(aggregation, static (name, export) => new Series(
            export._searches.WithLabels(name), export._boundHits.WithLabels(name), export._duration.WithLabels(name)), this);

    private sealed record Series(Counter.Child Searches, Counter.Child BoundHits, Histogram.Child Duration);
}
