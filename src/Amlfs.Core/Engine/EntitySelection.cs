namespace Amlfs.Engine;

/// <summary>
/// The part of an entity type's evaluation that one reader needs: the features it names and, transitively, what they
/// read (derived features, aggregates, graph searches, request features). A model that reads a few of an entity's
/// features (the rules model reads 14 of the customer's) is scored from an evaluation that computes only those. The
/// entity's state is the same for every selection, so a selected value is bit for bit the value a full evaluation gives;
/// an evaluation with a selection writes <see cref="double.NaN"/>, "not evaluated", in every value outside it.
/// </summary>
public sealed class EntitySelection
{
    private EntitySelection(EntityPlan plan, IReadOnlyList<string> features, bool[] values)
    {
        Plan = plan;
        Features = features;
        Values = values;
        IsEverything = values.All(v => v);
        Aggregates = [.. Enumerable.Range(0, plan.Aggregates.Length).Select(k => values[plan.AggregateValue(k)])];
        Ranges = new bool[plan.Ranges.Length];
        for (var k = 0; k < Aggregates.Length; k++)
        {
            if (Aggregates[k] && plan.AggregateRange[k] >= 0)
                Ranges[plan.AggregateRange[k]] = true;
        }

        Graph = plan.GraphAggregates.Any(k => Aggregates[k]);
        DerivedOrder = [.. plan.DerivedOrder.Where(j => values[j])];
        Request = [.. Enumerable.Range(0, plan.Request.Length).Select(r => values[plan.RequestValue(r)])];
        NeedsQueryHour = Enumerable.Range(0, Aggregates.Length).Any(k => Aggregates[k] && plan.Aggregates[k].Kind == Registry.AggregationKind.HourShare);
    }

    /// <summary>The entity type selected from.</summary>
    public EntityPlan Plan { get; }

    /// <summary>The features named, stored and request, as given (names the entity type lacks left out).</summary>
    public IReadOnlyList<string> Features { get; }

    /// <summary>True when the selection holds every value of the entity type: an evaluation with it is a full one.</summary>
    public bool IsEverything { get; }

    /// <summary>Per value slot of an evaluation (<see cref="EntityPlan"/>'s value layout), whether it is evaluated.</summary>
    internal bool[] Values { get; }

    /// <summary>Per aggregate, whether it is evaluated.</summary>
    internal bool[] Aggregates { get; }

    /// <summary>Per range slot, whether an evaluated aggregate reads it.</summary>
    internal bool[] Ranges { get; }

    /// <summary>The evaluated derived features, in the plan's evaluation order.</summary>
    internal int[] DerivedOrder { get; }

    /// <summary>Per request feature, whether it is evaluated.</summary>
    internal bool[] Request { get; }

    /// <summary>Whether the graph searches run (an evaluated feature reads one of them).</summary>
    internal bool Graph { get; }

    /// <summary>True when the selection holds no value: an evaluation with it reads nothing.</summary>
    public bool IsEmpty => !Values.Contains(true);

    /// <summary>Whether an evaluation reads the states of other accounts (a selected graph search does).</summary>
    public bool ReadsNeighbours => Graph && Plan.ReadsNeighbours;

    /// <summary>Whether an evaluated aggregate reads the local hour of the as-of time.</summary>
    internal bool NeedsQueryHour { get; }

    /// <summary>Every value of <paramref name="plan"/>.</summary>
    internal static EntitySelection Everything(EntityPlan plan) =>
        new(plan, [.. plan.Features.Select(f => f.Name), .. plan.RequestFeatures.Select(f => f.Name)], Enumerable.Repeat(true, plan.ValueCount).ToArray());

    /// <summary>
    /// The features of <paramref name="plan"/> named by <paramref name="features"/> (stored or request features; a name
    /// the entity type lacks is left out) and everything they read.
    /// </summary>
    public static EntitySelection Of(EntityPlan plan, IEnumerable<string> features)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(features);
        var values = new bool[plan.ValueCount];
        var named = new List<string>();
        var pending = new Stack<int>();
        foreach (var name in features.Distinct(StringComparer.Ordinal))
        {
            var stored = plan.IndexOf(name);
            var request = stored >= 0 ? -1 : IndexOfRequest(plan, name);
            if (stored < 0 && request < 0)
                continue;
            named.Add(name);
            pending.Push(stored >= 0 ? plan.FeatureValue[stored] : plan.RequestValue(request));
        }

        var reads = new HashSet<int>();
        while (pending.Count > 0)
        {
            var slot = pending.Pop();
            if (values[slot])
                continue;
            values[slot] = true;
            reads.Clear();
            if (slot < plan.Derived.Length)
                plan.Derived[slot].AddReads(reads);
            else if (slot >= plan.Derived.Length + plan.Aggregates.Length)
                plan.Request[slot - plan.Derived.Length - plan.Aggregates.Length].AddReads(reads);
            foreach (var read in reads)
                pending.Push(read);
        }

        // The graph searches run together: one selected runs them all.
        if (plan.GraphAggregates.Any(k => values[plan.AggregateValue(k)]))
        {
            foreach (var k in plan.GraphAggregates)
                values[plan.AggregateValue(k)] = true;
        }

        return new EntitySelection(plan, named, values);
    }

    private static int IndexOfRequest(EntityPlan plan, string name)
    {
        for (var r = 0; r < plan.RequestFeatures.Count; r++)
        {
            if (string.Equals(plan.RequestFeatures[r].Name, name, StringComparison.Ordinal))
                return r;
        }

        return -1;
    }

    /// <summary>Writes NaN in every value outside the selection.</summary>
    internal void MarkUnevaluated(Span<double> values)
    {
        if (IsEverything)
            return;
        for (var i = 0; i < Values.Length; i++)
        {
            if (!Values[i])
                values[i] = double.NaN;
        }
    }
}
