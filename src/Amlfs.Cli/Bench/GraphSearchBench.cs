using System.Diagnostics.Metrics;
using Amlfs.Engine;
using Amlfs.Transactions;

namespace Amlfs.Cli.Bench;

/// <summary>
/// The cost of the graph searches: reads every feature of accounts that took part in a transfer in the stream's last
/// day (those are the ones the searches have anything to explore for) and collects, per graph aggregation, the time of each evaluation, how
/// many there were and how many stopped at a bound, from <see cref="GraphSearchMetrics"/>.
/// </summary>
internal static class GraphSearchBench
{
    private const int Reads = 20_000;

    public static IReadOnlyList<GraphSearchFigures> Run(FeatureEngine engine, EntityPlan customer, IReadOnlyList<Transaction> stream)
    {
        // Reads come as of the end of the stream: the accounts with a transfer in its last day have a graph to search.
        var lastDay = stream[^1].TimestampMs - 86_400_000L;
        var accounts = stream.Where(t => t.DestinationType == DestinationType.Account && t.TimestampMs >= lastDay)
            .SelectMany(t => new[] { t.CustomerId, t.MerchantId }).Distinct().ToArray();
        if (accounts.Length == 0)
            return [];
        var durations = new Dictionary<string, List<double>>();
        var hits = new Dictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == GraphSearchMetrics.MeterName)
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) => List(durations, tags).Add(value));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "amlfs_graph_bound_hits")
                hits[Name(tags)] = hits.GetValueOrDefault(Name(tags)) + value;
        });

        var asOf = engine.Watermark!.Value.ToUnixTimeMilliseconds() + 1;
        var values = new double[customer.Features.Count];
        var random = new Random(11);
        for (var i = 0; i < 2_000; i++)
            engine.Read(customer, accounts[random.Next(accounts.Length)], asOf, values); // warm-up, not listened to
        listener.Start();
        for (var i = 0; i < Reads; i++)
            engine.Read(customer, accounts[random.Next(accounts.Length)], asOf, values);
        listener.Dispose();

        return durations.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p =>
        {
            var times = p.Value.Order().ToArray();
            return new GraphSearchFigures(p.Key, times.Length, hits.GetValueOrDefault(p.Key), times[times.Length / 2],
                times[(int)(times.Length * 0.99)], times[^1], accounts.Length);
        }).ToList();
    }

    private static List<double> List(Dictionary<string, List<double>> lists, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var name = Name(tags);
        if (!lists.TryGetValue(name, out var list))
            lists[name] = list = [];
        return list;
    }

    private static string Name(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == GraphSearchMetrics.AggregationTag)
                return tag.Value as string ?? "";
        }

        return "";
    }
}

/// <summary>What <see cref="GraphSearchBench"/> measured for one graph aggregation.</summary>
internal sealed record GraphSearchFigures(string Aggregation, long Evaluations, long BoundHits, double P50Us, double P99Us, double MaxUs, int Accounts);
