using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using Amlfs.Registry;

namespace Amlfs.Engine;

/// <summary>
/// The graph aggregations (<see cref="AggregationNames.SearchesGraph"/>) of one account as of q, over the windowed
/// transfer graph of its entity type: nodes are accounts, and each accepted transfer between two accounts with time in
/// <c>[q - W, q)</c> is a directed edge at its time. Each search reads the account's own transfers and, for the kinds
/// that need them, its neighbours' (<see cref="GraphView"/>), explores in an order fixed by times and fingerprints
/// alone (never by arrival order or memory layout) and stops at the bounds its definition gives, so that the engine,
/// its offline replays and a replica give the same bits. docs/graph.md states each definition and what happens when
/// a bound is hit; the test reference writes each search again over raw transactions.
/// </summary>
internal sealed class GraphSearch
{
    [ThreadStatic]
    private static GraphSearch? _scratch;

    private readonly GraphView _view = new();
    private readonly Dictionary<ulong, (long Time, int Level)> _latest = [];
    private readonly Dictionary<ulong, (int Count, int Last)> _counts = [];
    private readonly Dictionary<ulong, int> _index = [];
    private readonly List<(ulong Node, long Time)> _order = [];
    private readonly List<ulong> _next = [];
    private ulong[] _adjacency = new ulong[64];

    /// <summary>
    /// Fills the values of <paramref name="plan"/>'s graph aggregations for the account <paramref name="state"/> (whose id
    /// has fingerprint <paramref name="hash"/>) as of <paramref name="q"/>, reading other accounts from
    /// <paramref name="neighbours"/> and adding each to <paramref name="reads"/> when given. Without a state every value
    /// stays 0. Returns the account's log sequence in the state its transfers were read from (0 without a state).
    /// </summary>
    /// <exception cref="InvalidOperationException">A search needs neighbours and none are given.</exception>
    public static long Evaluate(EntityPlan plan, EntityState? state, ulong hash, long q, INeighbourStates? neighbours, Span<double> values,
        List<NeighbourRead>? reads = null)
    {
        if (plan.ReadsNeighbours && neighbours is null)
            throw new InvalidOperationException($"the graph features of '{plan.Name}' read other accounts' states, and none were given");
        if (state is null)
            return 0;
        var search = _scratch ??= new GraphSearch();
        search._view.Reset(plan, state, hash, q, neighbours, reads);
        var measured = GraphSearchMetrics.Enabled;
        foreach (var a in plan.GraphAggregates)
        {
            var spec = plan.Aggregates[a];
            var start = measured ? Stopwatch.GetTimestamp() : 0;
            values[plan.AggregateValue(a)] = search.Value(spec, q - spec.WindowMs, out var boundHit);
            if (measured)
                GraphSearchMetrics.Searched(spec.Kind, boundHit, start);
        }

        return search._view.EgoSequence;
    }

    private double Value(AggregateSpec spec, long from, out bool boundHit)
    {
        boundHit = false;
        return spec.Kind switch
        {
            AggregationKind.CycleCount => CycleCount(from, spec.Bounds, out boundHit),
            AggregationKind.ScatterGather => ScatterGather(from, spec.Filter.Direction == EdgeDirection.Inflow, spec.Bounds.MaxVisits, out boundHit),
            AggregationKind.GatherScatter => GatherScatter(from),
            AggregationKind.Degree => Degree(from, spec.Filter.Direction),
            AggregationKind.ClusteringCoefficient or AggregationKind.EgoBetweenness =>
                EgoNetwork(from, spec.Kind == AggregationKind.EgoBetweenness, spec.Bounds.MaxNeighbours, out boundHit),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "not a graph aggregation"),
        };
    }

    /// <summary>
    /// Outflows A→B at t0 from which a time-increasing path of at most max_hops - 1 transfers leads from B back to A.
    /// Backwards from A, level by level: after level h, <c>_latest[x]</c> is the latest time of a first transfer on
    /// which a path of at most h transfers leaves x and reaches A with every transfer later than the one before. Level 1
    /// reads A's inflows; each further level expands the accounts whose time rose at the level before, latest first
    /// (ties by fingerprint), each with the time it had when the level began, reading its inflows z→x at t earlier
    /// than that time. Every expansion counts against max_visits; when none is left, the accounts not yet expanded
    /// stay so, and the count is that of the outflows proven to return: never more than the exact count.
    /// </summary>
    private double CycleCount(long from, GraphBounds bounds, out bool boundHit)
    {
        boundHit = false;
        var ego = _view.Ego;
        _latest.Clear();
        _next.Clear();
        foreach (var e in _view.Edges(ego))
        {
            if (e.Inflow && e.TimeMs >= from)
                Raise(e.Counterparty, e.TimeMs, level: 1);
        }

        var visits = 0;
        for (var level = 2; level < bounds.MaxHops && _next.Count > 0; level++)
        {
            _order.Clear();
            foreach (var node in _next)
                _order.Add((node, _latest[node].Time));
            _next.Clear();
            CollectionsMarshal.AsSpan(_order).Sort(static (a, b) => a.Time != b.Time ? b.Time.CompareTo(a.Time) : a.Node.CompareTo(b.Node));
            foreach (var (node, departure) in _order)
            {
                if (visits == bounds.MaxVisits)
                {
                    boundHit = true;
                    goto counted;
                }

                visits++;
                foreach (var e in _view.Edges(node))
                {
                    if (e.Inflow && e.TimeMs >= from && e.TimeMs < departure && e.Counterparty != ego)
                        Raise(e.Counterparty, e.TimeMs, level);
                }
            }
        }

    counted:
        long cycles = 0;
        foreach (var e in _view.Edges(ego))
        {
            if (!e.Inflow && e.TimeMs >= from && _latest.TryGetValue(e.Counterparty, out var back) && back.Time > e.TimeMs)
                cycles++;
        }

        return cycles;
    }

    /// <summary>Raises the latest departure of <paramref name="node"/> to <paramref name="time"/>, queueing it for the next level once.</summary>
    private void Raise(ulong node, long time, int level)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_latest, node, out var known);
        if (known && entry.Time >= time)
            return;
        entry.Time = time;
        if (!known || entry.Level != level)
        {
            entry.Level = level;
            _next.Add(node);
        }
    }

    /// <summary>
    /// Outflow: the largest number, over destinations D (not A), of distinct intermediates M with A→M at t1 and M→D at
    /// t2 > t1. Each M is expanded once, from its earliest payment by A; M in order of that time, then fingerprint.
    /// Inflow: A is the destination; each M from its latest payment to A, latest first, counting sources S with S→M
    /// before it. At most max_visits intermediates are expanded: when the bound is hit the rest are not, and the
    /// value is that of those expanded, never more than the exact value.
    /// </summary>
    private double ScatterGather(long from, bool inflow, int maxVisits, out bool boundHit)
    {
        var ego = _view.Ego;
        _order.Clear();
        _index.Clear();
        foreach (var e in _view.Edges(ego))
        {
            if (e.Inflow != inflow || e.TimeMs < from)
                continue;
            ref var at = ref CollectionsMarshal.GetValueRefOrAddDefault(_index, e.Counterparty, out var known);
            if (!known)
            {
                at = _order.Count;
                _order.Add((e.Counterparty, e.TimeMs));
            }
            else if (inflow ? e.TimeMs > _order[at].Time : e.TimeMs < _order[at].Time)
            {
                _order[at] = (e.Counterparty, e.TimeMs);
            }
        }

        var order = CollectionsMarshal.AsSpan(_order);
        if (inflow)
            order.Sort(static (a, b) => a.Time != b.Time ? b.Time.CompareTo(a.Time) : a.Node.CompareTo(b.Node));
        else
            order.Sort(static (a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Node.CompareTo(b.Node));
        boundHit = order.Length > maxVisits;
        _counts.Clear();
        var best = 0;
        for (var m = 0; m < Math.Min(order.Length, maxVisits); m++)
        {
            var (intermediate, time) = order[m];
            foreach (var e in _view.Edges(intermediate))
            {
                // Outflow: M pays D after A paid M. Inflow: S pays M before M paid A.
                var follows = inflow ? e.Inflow && e.TimeMs < time && e.TimeMs >= from : !e.Inflow && e.TimeMs > time;
                if (!follows || e.Counterparty == ego)
                    continue;
                ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_counts, e.Counterparty, out var known);
                if (known && count.Last == m)
                    continue; // M counted for this end already
                count = (known ? count.Count + 1 : 1, m);
                best = Math.Max(best, count.Count);
            }
        }

        return best;
    }

    /// <summary>
    /// A as a hub: min(distinct accounts that paid A in the window, distinct accounts A paid after the first of those
    /// payments). A's own transfers only; no bound.
    /// </summary>
    private double GatherScatter(long from)
    {
        var edges = _view.Edges(_view.Ego);
        _index.Clear();
        var firstIn = long.MaxValue;
        foreach (var e in edges)
        {
            if (e.Inflow && e.TimeMs >= from)
            {
                _index.TryAdd(e.Counterparty, 0);
                firstIn = Math.Min(firstIn, e.TimeMs);
            }
        }

        var sources = _index.Count;
        _index.Clear();
        foreach (var e in edges)
        {
            if (!e.Inflow && e.TimeMs > firstIn && e.TimeMs >= from)
                _index.TryAdd(e.Counterparty, 0);
        }

        return Math.Min(sources, _index.Count);
    }

    /// <summary>Distinct accounts A sent transfers to, received transfers from, or either (<paramref name="direction"/>).</summary>
    private double Degree(long from, EdgeDirection direction)
    {
        _index.Clear();
        foreach (var e in _view.Edges(_view.Ego))
        {
            if (e.TimeMs >= from && (direction == EdgeDirection.Both || e.Inflow == (direction == EdgeDirection.Inflow)))
                _index.TryAdd(e.Counterparty, 0);
        }

        return _index.Count;
    }

    /// <summary>
    /// The undirected ego network of A: its neighbours K, the accounts it exchanged transfers with in the window, at
    /// most max_neighbours of them, most recent contact first (ties by fingerprint), and the links among them that
    /// their own states hold in the window. Clustering: links over the k(k - 1)/2 pairs. Ego betweenness (Everett and
    /// Borgatti): over pairs of K that are not linked, in K's order, the sum of 1 / (1 + their common neighbours in K),
    /// the two-paths through A and through each common neighbour. More neighbours than the bound: the rest are left out.
    /// </summary>
    private double EgoNetwork(long from, bool betweenness, int maxNeighbours, out bool boundHit)
    {
        _order.Clear();
        _index.Clear();
        foreach (var e in _view.Edges(_view.Ego))
        {
            if (e.TimeMs < from)
                continue;
            ref var at = ref CollectionsMarshal.GetValueRefOrAddDefault(_index, e.Counterparty, out var known);
            if (!known)
            {
                at = _order.Count;
                _order.Add((e.Counterparty, e.TimeMs));
            }
            else if (e.TimeMs > _order[at].Time)
            {
                _order[at] = (e.Counterparty, e.TimeMs);
            }
        }

        var neighbours = CollectionsMarshal.AsSpan(_order);
        neighbours.Sort(static (a, b) => a.Time != b.Time ? b.Time.CompareTo(a.Time) : a.Node.CompareTo(b.Node));
        boundHit = neighbours.Length > maxNeighbours;
        var k = Math.Min(neighbours.Length, maxNeighbours);
        if (k < 2)
            return 0;
        _index.Clear();
        for (var i = 0; i < k; i++)
            _index[neighbours[i].Node] = i;
        var words = (k + 63) / 64;
        if (_adjacency.Length < k * words)
            _adjacency = new ulong[Math.Max(_adjacency.Length * 2, k * words)];
        var rows = _adjacency.AsSpan(0, k * words);
        rows.Clear();
        for (var i = 0; i < k; i++)
        {
            foreach (var e in _view.Edges(neighbours[i].Node))
            {
                if (e.TimeMs >= from && _index.TryGetValue(e.Counterparty, out var j))
                {
                    rows[(i * words) + (j >> 6)] |= 1UL << (j & 63);
                    rows[(j * words) + (i >> 6)] |= 1UL << (i & 63);
                }
            }
        }

        if (!betweenness)
        {
            long ends = 0;
            foreach (var word in rows)
                ends += BitOperations.PopCount(word);
            return AggregateMath.Share(ends / 2, (long)k * (k - 1) / 2);
        }

        var sum = 0.0;
        for (var i = 0; i < k; i++)
        {
            var row = rows.Slice(i * words, words);
            for (var j = i + 1; j < k; j++)
            {
                if ((row[j >> 6] & (1UL << (j & 63))) != 0)
                    continue;
                var other = rows.Slice(j * words, words);
                var common = 0;
                for (var w = 0; w < words; w++)
                    common += BitOperations.PopCount(row[w] & other[w]);
                sum += 1.0 / (1 + common);
            }
        }

        return sum;
    }
}
