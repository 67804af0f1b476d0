using Amlfs.Registry;
using Amlfs.Registry.Expressions;

namespace Amlfs.Engine;

/// <summary>
/// The compiled plan of one entity type. Value layout of an evaluation:
/// <c>[derived features (D)] [aggregates (A)] [request features (R)]</c>. Public features map into it through
/// <see cref="FeatureValue"/>. Aggregates sharing a window and filter share a <see cref="RangeSlot"/>, so the work of a
/// read grows with the distinct (window, filter) pairs, not with the number of features.
/// </summary>
public sealed class EntityPlan
{
    private readonly Dictionary<string, int> _featureIndex;

    internal EntityPlan(
        EntityDefinition entity,
        int index,
        IReadOnlyList<FeatureDefinition> features,
        IReadOnlyList<FeatureDefinition> requestFeatures,
        AggregateSpec[] aggregates,
        BoundExpression[] derived,
        int[] derivedOrder,
        int[] featureValue,
        BoundExpression[] request,
        TimeZoneInfo timeZone)
    {
        TimeZone = timeZone;
        NeedsQueryHour = aggregates.Any(a => a.Kind == AggregationKind.HourShare);
        Definition = entity;
        Index = index;
        Features = features;
        RequestFeatures = requestFeatures;
        Aggregates = aggregates;
        Derived = derived;
        DerivedOrder = derivedOrder;
        FeatureValue = featureValue;
        Request = request;
        _featureIndex = features.Select((f, i) => (f.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);

        var ranges = new List<RangeSlot>();
        var tiles = new List<TileFamily>();
        var distinctFields = new List<TransactionField>();
        var seen = new List<SeenFamily>();
        AggregateRange = new int[aggregates.Length];
        AggregateTile = new int[aggregates.Length];
        AggregateDistinctField = new int[aggregates.Length];
        AggregateSeen = new int[aggregates.Length];
        for (var k = 0; k < aggregates.Length; k++)
        {
            var a = aggregates[k];
            AggregateSeen[k] = -1;
            if (AggregationNames.ComparesWithRequest(a.Kind))
            {
                // Compared with the request over up to 30 days: the raw events the entity keeps anyway, then what its
                // seen family remembers of the events that left them. No range: it sets no raw retention.
                AggregateDistinctField[k] = IndexOrAdd(distinctFields, a.Field!.Value);
                AggregateRange[k] = AggregateTile[k] = -1;
                var family = seen.FindIndex(f => f.Field == AggregateDistinctField[k] && f.Filter == a.Filter);
                if (family < 0)
                    seen.Add(new SeenFamily(AggregateDistinctField[k], a.Filter, a.WindowMs));
                else
                    seen[family] = seen[family] with { WindowMs = Math.Max(seen[family].WindowMs, a.WindowMs) };
                AggregateSeen[k] = family < 0 ? seen.Count - 1 : family;
                continue;
            }

            // A graph search reads transfers both ways, so its range keeps both directions' events for as long as its window.
            var graph = AggregationNames.SearchesGraph(a.Kind);
            var filter = graph ? FeatureFilter.None.WithDirection(EdgeDirection.Both) : a.Filter;
            var range = a.IsTiled ? new RangeSlot(0, a.HopMs, filter) : new RangeSlot(a.SpanMs, 0, filter);
            AggregateRange[k] = IndexOrAdd(ranges, range);
            AggregateTile[k] = a.IsTiled ? IndexOrAdd(tiles, new TileFamily(a.HopMs, a.Filter)) : -1;
            AggregateDistinctField[k] = AggregationNames.CountsValues(a.Kind) ? IndexOrAdd(distinctFields, a.Field!.Value)
                : graph ? IndexOrAdd(distinctFields, TransactionField.CounterpartyId)
                : -1;
        }

        GraphAggregates = [.. Enumerable.Range(0, aggregates.Length).Where(k => AggregationNames.SearchesGraph(aggregates[k].Kind))];
        ReadsNeighbours = aggregates.Any(a => AggregationNames.ReadsNeighbours(a.Kind));
        LongestGraphWindowMs = GraphAggregates.Select(k => aggregates[k].WindowMs).DefaultIfEmpty(0).Max();

        Ranges = [.. ranges];
        RangeNeedsAll = new bool[Ranges.Length];
        for (var k = 0; k < aggregates.Length; k++)
        {
            if (AggregateRange[k] >= 0)
            {
                RangeNeedsAll[AggregateRange[k]] |= !AggregationNames.ScansEvents(aggregates[k].Kind)
                    && aggregates[k].Kind is not (AggregationKind.Count or AggregationKind.Sum or AggregationKind.Avg);
            }
        }

        // Without inflows an entity's events are all outflows, so a filter without conditions passes every one.
        RangePassesAll = Ranges.Select(r => entity.Inflows ? r.Filter.PassesAll : r.Filter.PassesAllOutflows).ToArray();
        Tiles = [.. tiles];
        DistinctFields = [.. distinctFields];
        SeenFamilies = [.. seen];
        var longestExact = ranges.Select(r => r.HopMs > 0 ? r.HopMs : r.WindowMs).DefaultIfEmpty(0).Max();
        LongestRawSpanMs = longestExact;
        LongestTiledWindowMs = aggregates.Where(a => a.IsTiled).Select(a => a.WindowMs + a.HopMs).DefaultIfEmpty(0).Max();
        LongestSeenWindowMs = seen.Select(f => f.WindowMs).DefaultIfEmpty(0).Max();
        _lookbacks = [.. ranges.Select(r => (r.Filter, Span: r.HopMs > 0 ? r.HopMs : r.WindowMs))
            .Concat(aggregates.Where(a => a.IsTiled).Select(a => (a.Filter, Span: a.WindowMs + a.HopMs)))
            .Concat(seen.Select(f => (f.Filter, Span: f.WindowMs)))
            .OrderByDescending(l => l.Span)];
        Everything = EntitySelection.Everything(this);
    }

    /// <summary>The selection of every value: a full evaluation.</summary>
    internal EntitySelection Everything { get; }

    /// <summary>The spans reads look back over, with the filter of the events they count; longest first.</summary>
    private readonly (FeatureFilter Filter, long Span)[] _lookbacks;

    public EntityDefinition Definition { get; }

    /// <summary>The registry's time zone, for aggregations that read the local hour of the query time.</summary>
    internal TimeZoneInfo TimeZone { get; }

    /// <summary>Whether an aggregation compares events with the local hour of q (<see cref="AggregationKind.HourShare"/>).</summary>
    internal bool NeedsQueryHour { get; }

    public string Name => Definition.Name;

    public TransactionField JoinKey => Definition.JoinKey;

    /// <summary>Position of this entity type in <see cref="FeaturePlan.Entities"/>.</summary>
    public int Index { get; }

    /// <summary>Stored features (aggregations and derived), in file order: the order of every feature vector.</summary>
    public IReadOnlyList<FeatureDefinition> Features { get; }

    /// <summary>Request-time features of this entity, in file order.</summary>
    public IReadOnlyList<FeatureDefinition> RequestFeatures { get; }

    /// <summary>Length of the scratch buffer an evaluation needs.</summary>
    public int ValueCount => Derived.Length + Aggregates.Length + Request.Length;

    internal AggregateSpec[] Aggregates { get; }

    internal BoundExpression[] Derived { get; }

    internal int[] DerivedOrder { get; }

    internal int[] FeatureValue { get; }

    internal BoundExpression[] Request { get; }

    internal RangeSlot[] Ranges { get; }

    /// <summary>Per range: whether a feature reads more than its count and sum (extremes, squares, times).</summary>
    internal bool[] RangeNeedsAll { get; }

    /// <summary>Per range: whether every event the entity stores passes its filter, so a read need not test them.</summary>
    internal bool[] RangePassesAll { get; }

    internal TileFamily[] Tiles { get; }

    internal TransactionField[] DistinctFields { get; }

    internal int[] AggregateRange { get; }

    internal int[] AggregateTile { get; }

    internal int[] AggregateDistinctField { get; }

    /// <summary>Positions in <see cref="Aggregates"/> of the graph aggregations, evaluated after the others (<see cref="GraphSearch"/>).</summary>
    internal int[] GraphAggregates { get; }

    /// <summary>
    /// Whether a graph aggregation reads the states of other accounts of this type, so that evaluations need a
    /// source of neighbour states and an offline replay keeps every entity of the type in one partition.
    /// </summary>
    public bool ReadsNeighbours { get; }

    /// <summary>The longest window of the graph aggregations: how far back a search reads each account's transfers.</summary>
    internal long LongestGraphWindowMs { get; }

    /// <summary>Per aggregate, its seen family (<see cref="SeenFamilies"/>) when it compares with the request, else -1.</summary>
    internal int[] AggregateSeen { get; }

    /// <summary>
    /// The (field, filter) pairs that <c>first_seen</c> and <c>last_seen_time</c> compare with the request, each with its
    /// longest window: every entity keeps, per family, the latest time of each value among its events that have left
    /// the raw event log (<see cref="SeenValues"/>).
    /// </summary>
    internal SeenFamily[] SeenFamilies { get; }

    /// <summary>The longest window of an aggregation compared with the request; 0 when there is none.</summary>
    internal long LongestSeenWindowMs { get; }

    /// <summary>How far back from q any read of the entity reaches: raw events, tiles or seen values.</summary>
    internal long LongestLookbackMs => Math.Max(Math.Max(LongestRawSpanMs, LongestTiledWindowMs), LongestSeenWindowMs);

    /// <summary>The longest span of raw events one read scans back from q.</summary>
    internal long LongestRawSpanMs { get; }

    /// <summary>The longest tiled window plus its hop: how far back tiles are read.</summary>
    internal long LongestTiledWindowMs { get; }

    /// <summary>
    /// How long after its time an event can still be read: the longest span, raw or tiled, whose filter it passes
    /// (a read at q reaches back at most that far, <c>q - t</c> inclusive); 0 when no aggregate counts it.
    /// </summary>
    internal long LookbackMs(in CompactEvent e)
    {
        foreach (var (filter, span) in _lookbacks)
        {
            if (filter.Matches(e.LocalHour, e.LocalDay, e.AmountCents, e.IsInflow))
                return span;
        }

        return 0;
    }

    internal int AggregateValue(int k) => Derived.Length + k;

    internal int RequestValue(int r) => Derived.Length + Aggregates.Length + r;

    /// <summary>The request features' values, in <see cref="RequestFeatures"/> order, within an evaluation's values.</summary>
    public ReadOnlySpan<double> RequestValues(ReadOnlySpan<double> values) =>
        values.Slice(Derived.Length + Aggregates.Length, Request.Length);

    /// <summary>Position of a stored feature in the feature vector, or -1.</summary>
    public int IndexOf(string featureName) => _featureIndex.TryGetValue(featureName, out var i) ? i : -1;

    private static int IndexOrAdd<T>(List<T> list, T item)
    {
        var i = list.IndexOf(item);
        if (i >= 0)
            return i;
        list.Add(item);
        return list.Count - 1;
    }
}
