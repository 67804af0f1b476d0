using Amlfs.Engine;
using Amlfs.OnlineStore;
using Amlfs.Registry.Expressions;

namespace Amlfs.Testing;

/// <summary>
/// Evaluates exported entity states as a replica does: an entity type whose graph features read other accounts
/// (<see cref="EntityPlan.ReadsNeighbours"/>) gets the states its searches reach from a neighbour source, level by
/// level, until none is missing; any other type is evaluated from its own bytes alone.
/// </summary>
public static class StoredStates
{
    /// <summary>The two partial states (outflows, inflows) of the account whose id has a fingerprint; either may be null.</summary>
    public delegate (byte[]? State, byte[]? Inflows) NeighbourSource(ulong fingerprint);

    /// <summary>Evaluates the stored features of one entity into <paramref name="features"/>; returns the log sequence the bytes hold.</summary>
    public static long Evaluate(EntityStateFormat format, EntityPlan plan, byte[]? state, byte[]? inflows, long q, Span<double> features,
        NeighbourSource neighbours)
    {
        var values = new double[plan.ValueCount];
        var sequence = Evaluate(format, plan, state, inflows, q, values, new ExpressionScope(q, null), neighbours);
        FeatureEngine.CopyFeatures(plan, values, features);
        return sequence;
    }

    /// <summary>As the other overload, into the plan's value layout, with request features when the scope has a request.</summary>
    public static long Evaluate(EntityStateFormat format, EntityPlan plan, byte[]? state, byte[]? inflows, long q, Span<double> values,
        in ExpressionScope scope, NeighbourSource neighbours)
    {
        if (!plan.ReadsNeighbours)
            return format.Evaluate(plan, state, inflows, q, values, scope);
        var fetched = new NeighbourStates(format, plan);
        while (true)
        {
            var sequence = format.Evaluate(plan, state, inflows, q, values, scope, fetched);
            if (fetched.Missing.Count == 0)
                return sequence;
            foreach (var hash in fetched.TakeMissing())
            {
                var (neighbour, neighbourInflows) = neighbours(hash);
                fetched.Add(hash, neighbour, neighbourInflows);
            }
        }
    }

    /// <summary>Neighbours exported from one engine that kept both ends of every account of <paramref name="ids"/>.</summary>
    public static NeighbourSource From(FeatureEngine engine, EntityPlan plan, IEnumerable<string> ids) =>
        From(engine, null, plan, ids);

    /// <summary>
    /// Neighbours exported from the engine that kept the accounts' outflows and, when given, the one that kept their
    /// inflows (<see cref="EngineOptions.KeptDirection"/>); an account outside <paramref name="ids"/> has no state.
    /// </summary>
    public static NeighbourSource From(FeatureEngine outflows, FeatureEngine? inflows, EntityPlan plan, IEnumerable<string> ids)
    {
        var states = ids.Distinct().ToDictionary(
            NeighbourStates.FingerprintOf,
            id => (outflows.ExportEntityState(plan, id), inflows?.ExportEntityState(plan, id)));
        return hash => states.GetValueOrDefault(hash);
    }

    /// <summary>Neighbours read from an online store by the keys a replica reads (<see cref="OnlineStoreKey.ForFingerprint"/>).</summary>
    public static NeighbourSource From(IOnlineStore store, EntityStateFormat format, EntityPlan plan) => hash =>
    {
        var key = OnlineStoreKey.ForFingerprint(format, plan.Name, hash);
        var both = store.ReadManyAsync([key, key with { Inflows = true }]).GetAwaiter().GetResult();
        return (both[0], both[1]);
    };
}
