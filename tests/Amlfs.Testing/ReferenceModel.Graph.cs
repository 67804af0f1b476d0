using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Transactions;

namespace Amlfs.Testing;

/// <summary>
/// The graph aggregations by brute force over the accepted transactions: the transfer graph as of q is every accepted
/// transfer between two different accounts with time in <c>[q - W, q)</c>, accounts named by their ids. Where a
/// search may stop at a bound, the bounded procedure is written again from its definition (the same order: times,
/// then the fingerprints of the ids), and when the bound was not hit its value must equal the exhaustive one, which
/// is what is returned: a search that explores wrongly fails here even when no bound is hit.
/// </summary>
public sealed partial class ReferenceModel
{
    /// <summary>Evaluations of a graph aggregation so far whose search stopped at a bound of its definition.</summary>
    public int GraphBoundHits { get; private set; }

    private double Graph(FeatureDefinition f, string id, long q)
    {
        var bounds = GraphSearchRules.Resolve(f.Aggregation, f.Bounds, []);
        var transfers = _accepted
            .Where(t => t.DestinationType == DestinationType.Account && t.CustomerId != t.MerchantId
                && t.TimestampMs >= q - f.WindowMs && t.TimestampMs < q)
            .ToList();
        var (value, hit) = f.Aggregation switch
        {
            AggregationKind.CycleCount => Cycles(transfers, id, bounds),
            AggregationKind.ScatterGather => ScatterGather(transfers, id, f.Filter.Direction == EdgeDirection.Inflow, bounds.MaxVisits),
            AggregationKind.GatherScatter => (GatherScatter(transfers, id), false),
            AggregationKind.Degree => (Degree(transfers, id, f.Filter.Direction), false),
            AggregationKind.ClusteringCoefficient or AggregationKind.EgoBetweenness =>
                EgoNetwork(transfers, id, f.Aggregation == AggregationKind.EgoBetweenness, bounds.MaxNeighbours),
            _ => throw new NotSupportedException(f.Aggregation.ToString()),
        };
        if (hit)
            GraphBoundHits++;
        return value;
    }

    private static ulong Fp(string id) => ReplayHistory.FieldFingerprint(id);

    private static (double, bool) Cycles(List<Transaction> transfers, string ego, GraphBounds bounds)
    {
        var outflows = transfers.Where(t => t.CustomerId == ego).ToList();

        // Exhaustive: every time-increasing walk of at most max_hops - 1 transfers from the destination.
        var memo = new Dictionary<(string, long, int), bool>();
        bool Returns(string from, long after, int hops)
        {
            if (hops == 0)
                return false;
            if (memo.TryGetValue((from, after, hops), out var known))
                return known;
            var found = transfers.Any(t => t.CustomerId == from && t.TimestampMs > after
                && (t.MerchantId == ego || Returns(t.MerchantId, t.TimestampMs, hops - 1)));
            memo[(from, after, hops)] = found;
            return found;
        }

        var exhaustive = outflows.Count(t => Returns(t.MerchantId, t.TimestampMs, bounds.MaxHops - 1));

        // The bounded procedure: latest departures back from the ego, level by level, latest first.
        var latest = new Dictionary<string, long>(StringComparer.Ordinal);
        var raised = new List<string>();
        foreach (var t in transfers.Where(t => t.MerchantId == ego))
        {
            if (!latest.TryGetValue(t.CustomerId, out var l) || t.TimestampMs > l)
            {
                latest[t.CustomerId] = t.TimestampMs;
                if (!raised.Contains(t.CustomerId))
                    raised.Add(t.CustomerId);
            }
        }

        var visits = 0;
        var hit = false;
        for (var level = 2; level <= bounds.MaxHops - 1 && raised.Count > 0 && !hit; level++)
        {
            var frontier = raised.Select(x => (Node: x, Departure: latest[x]))
                .OrderByDescending(x => x.Departure).ThenBy(x => Fp(x.Node)).ToList();
            raised = [];
            foreach (var (node, departure) in frontier)
            {
                if (visits == bounds.MaxVisits)
                {
                    hit = true;
                    break;
                }

                visits++;
                foreach (var t in transfers.Where(t => t.MerchantId == node && t.TimestampMs < departure && t.CustomerId != ego))
                {
                    if (!latest.TryGetValue(t.CustomerId, out var l) || t.TimestampMs > l)
                    {
                        latest[t.CustomerId] = t.TimestampMs;
                        if (!raised.Contains(t.CustomerId))
                            raised.Add(t.CustomerId);
                    }
                }
            }
        }

        var bounded = outflows.Count(t => latest.TryGetValue(t.MerchantId, out var l) && l > t.TimestampMs);
        if (!hit && bounded != exhaustive)
            throw new InvalidOperationException($"cycle_count of {ego}: the level search finds {bounded}, the exhaustive one {exhaustive}");
        return (hit ? bounded : exhaustive, hit);
    }

    private static (double, bool) ScatterGather(List<Transaction> transfers, string ego, bool inflow, int maxVisits)
    {
        // Outflow: A→M at t1, M→D at t2 > t1. Inflow: S→M at t1, M→A at t2 > t1. Intermediates from the first payment
        // by A (outflow) or the last payment to A (inflow), at most max_visits of them.
        var intermediates = (inflow
                ? transfers.Where(t => t.MerchantId == ego).GroupBy(t => t.CustomerId).Select(g => (Node: g.Key, Time: g.Max(t => t.TimestampMs)))
                    .OrderByDescending(m => m.Time)
                : transfers.Where(t => t.CustomerId == ego).GroupBy(t => t.MerchantId).Select(g => (Node: g.Key, Time: g.Min(t => t.TimestampMs)))
                    .OrderBy(m => m.Time))
            .ThenBy(m => Fp(m.Node)).Select(m => m.Node).ToList();
        var kept = intermediates.Take(maxVisits).ToHashSet(StringComparer.Ordinal);
        var pairs = inflow
            ? from first in transfers
              from second in transfers
              where second.MerchantId == ego && first.MerchantId == second.CustomerId && first.TimestampMs < second.TimestampMs
                  && first.CustomerId != ego && kept.Contains(second.CustomerId)
              select (End: first.CustomerId, Middle: second.CustomerId)
            : from first in transfers
              from second in transfers
              where first.CustomerId == ego && second.CustomerId == first.MerchantId && second.TimestampMs > first.TimestampMs
                  && second.MerchantId != ego && kept.Contains(first.MerchantId)
              select (End: second.MerchantId, Middle: first.MerchantId);
        var best = pairs.Distinct().GroupBy(p => p.End).Select(g => g.Count()).DefaultIfEmpty(0).Max();
        return (best, intermediates.Count > maxVisits);
    }

    private static double GatherScatter(List<Transaction> transfers, string ego)
    {
        var inflows = transfers.Where(t => t.MerchantId == ego).ToList();
        if (inflows.Count == 0)
            return 0;
        var firstIn = inflows.Min(t => t.TimestampMs);
        var sources = inflows.Select(t => t.CustomerId).Distinct().Count();
        var destinations = transfers.Where(t => t.CustomerId == ego && t.TimestampMs > firstIn).Select(t => t.MerchantId).Distinct().Count();
        return Math.Min(sources, destinations);
    }

    private static double Degree(List<Transaction> transfers, string ego, EdgeDirection direction) =>
        transfers.SelectMany(t => new[]
            {
                direction != EdgeDirection.Inflow && t.CustomerId == ego ? t.MerchantId : null,
                direction != EdgeDirection.Outflow && t.MerchantId == ego ? t.CustomerId : null,
            })
            .OfType<string>().Distinct(StringComparer.Ordinal).Count();

    private static (double, bool) EgoNetwork(List<Transaction> transfers, string ego, bool betweenness, int maxNeighbours)
    {
        var contacts = transfers.Where(t => t.CustomerId == ego || t.MerchantId == ego)
            .GroupBy(t => t.CustomerId == ego ? t.MerchantId : t.CustomerId)
            .Select(g => (Node: g.Key, Latest: g.Max(t => t.TimestampMs)))
            .OrderByDescending(n => n.Latest).ThenBy(n => Fp(n.Node)).Select(n => n.Node).ToList();
        var k = Math.Min(contacts.Count, maxNeighbours);
        var hit = contacts.Count > maxNeighbours;
        if (k < 2)
            return (0, hit);
        var kept = contacts.Take(k).ToList();
        bool Linked(string u, string v) => transfers.Any(t => (t.CustomerId == u && t.MerchantId == v) || (t.CustomerId == v && t.MerchantId == u));
        if (!betweenness)
        {
            long links = 0;
            for (var i = 0; i < k; i++)
            {
                for (var j = i + 1; j < k; j++)
                    links += Linked(kept[i], kept[j]) ? 1 : 0;
            }

            return (AggregateMath.Share(links, (long)k * (k - 1) / 2), hit);
        }

        var sum = 0.0;
        for (var i = 0; i < k; i++)
        {
            for (var j = i + 1; j < k; j++)
            {
                if (Linked(kept[i], kept[j]))
                    continue;
                var (u, v) = (kept[i], kept[j]);
                var common = kept.Count(w => w != u && w != v && Linked(u, w) && Linked(v, w));
                sum += 1.0 / (1 + common);
            }
        }

        return (sum, hit);
    }
}
