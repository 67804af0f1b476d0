namespace Amlfs.Engine;

/// <summary>
/// The transfers of the accounts that one evaluation's graph searches reach: each account's transfers with other
/// accounts in <c>[q - W, q)</c> (W the plan's longest graph window), in time order, copied once under the account's
/// sequence lock and kept for the rest of the evaluation. Payments to merchants and transfers of an account to itself
/// are left out. An account without state (unknown, or idle past every window) has none.
/// <para>Scratch of one thread: <see cref="GraphSearch"/> reuses one view per thread, so steady reads allocate nothing.</para>
/// </summary>
internal sealed class GraphView
{
    private readonly Dictionary<ulong, (int Start, int Count)> _nodes = [];
    private GraphEdge[] _edges = new GraphEdge[256];
    private int _count;
    private INeighbourStates? _neighbours;
    private List<NeighbourRead>? _reads;
    private int _entity;
    private int _field;
    private long _from;
    private long _to;

    /// <summary>The fingerprint of the account whose features are evaluated.</summary>
    public ulong Ego { get; private set; }

    /// <summary>The ego's log sequence, read with its transfers.</summary>
    public long EgoSequence { get; private set; }

    /// <summary>
    /// Starts an evaluation of <paramref name="plan"/>'s graph aggregations for the ego as of <paramref name="q"/>.
    /// Each other account read is added to <paramref name="reads"/>, when given, with the log sequence of the state read
    /// (0 for an account without state).
    /// </summary>
    public void Reset(EntityPlan plan, EntityState ego, ulong egoHash, long q, INeighbourStates? neighbours, List<NeighbourRead>? reads)
    {
        _nodes.Clear();
        _count = 0;
        _neighbours = neighbours;
        _reads = reads;
        _entity = plan.Index;
        _field = plan.AggregateDistinctField[plan.GraphAggregates[0]];
        _from = q - plan.LongestGraphWindowMs;
        _to = q;
        Ego = egoHash;
        _nodes[egoHash] = Read(ego, egoHash, out var sequence);
        EgoSequence = sequence;
    }

    /// <summary>The transfers of the account with fingerprint <paramref name="node"/>, read on first use.</summary>
    public ReadOnlySpan<GraphEdge> Edges(ulong node)
    {
        if (!_nodes.TryGetValue(node, out var range))
        {
            long sequence = 0;
            range = _neighbours?.Find(_entity, node) is { } state ? Read(state, node, out sequence) : (0, 0);
            _nodes[node] = range;
            _reads?.Add(new NeighbourRead(node, sequence));
        }

        // A later read may move the edges to a larger array; this span keeps the old one, whose edges stay as they were.
        return _edges.AsSpan(range.Start, range.Count);
    }

    /// <summary>
    /// Copies the state's transfers in the view's span, and its log sequence, retrying while a writer moves them (see
    /// <see cref="EntityState"/>).
    /// </summary>
    private (int Start, int Count) Read(EntityState state, ulong self, out long sequence)
    {
        var spinner = default(SpinWait);
        while (true)
        {
            var version = state.Version;
            if ((version & 1) == 0)
            {
                var start = _count;
                Copy(state, self);
                sequence = Volatile.Read(ref state.LogSequence);
                if (state.Validate(version))
                    return (start, _count - start);
                _count = start;
            }

            spinner.SpinOnce();
        }
    }

    private void Copy(EntityState state, ulong self)
    {
        // A torn state may hold counts that do not fit its arrays: every index is bounded by the arrays read.
        var events = state.Events;
        var fingerprints = state.Fingerprints;
        var k = state.FieldCount;
        if (k <= _field)
            return;
        var first = Math.Clamp(state.First, 0, events.Length);
        var end = Math.Clamp(first + state.Count, first, events.Length);
        end = Math.Min(end, fingerprints.Length / k);
        first = Math.Min(first, end);
        var lo = EntityEvaluator.LowerBound(events, first, end, _from);
        var hi = EntityEvaluator.LowerBound(events, lo, end, _to);
        for (var i = lo; i < hi; i++)
        {
            ref readonly var e = ref events[i];
            var counterparty = fingerprints[(i * k) + _field];
            if (!e.IsTransfer || counterparty == 0 || counterparty == self)
                continue;
            if (_count == _edges.Length)
                Array.Resize(ref _edges, _edges.Length * 2);
            _edges[_count++] = new GraphEdge(e.TimeMs, counterparty, e.IsInflow);
        }
    }
}
