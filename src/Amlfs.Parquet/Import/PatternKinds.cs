using System.Collections.Frozen;
using Amlfs.OfflineStore;

namespace Amlfs.Parquet.Import;

/// <summary>
/// The laundering pattern kinds of IBM's two simulators and the typologies they are stored as. AMLSim writes a kind as
/// <c>fan_in</c> (its alert files) or <c>fan-in</c> (a run's metadata), AMLworld as <c>FAN-IN</c>: case, hyphens,
/// underscores and spaces do not matter.
/// </summary>
internal static class PatternKinds
{
    private static readonly FrozenSet<string> GraphKinds = new[]
    {
        Typologies.FanIn, Typologies.FanOut, Typologies.Cycle, Typologies.ScatterGather, Typologies.GatherScatter,
        Typologies.Bipartite, Typologies.Stack, Typologies.RandomWalk,
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The kinds, in the stored spelling, for error messages.</summary>
    public static string Known { get; } = string.Join(", ", GraphKinds.Order(StringComparer.Ordinal));

    /// <summary>The typology of <paramref name="kind"/>, or null when it names none of the kinds.</summary>
    public static string? Typology(string kind)
    {
        var name = kind.Trim().ToLowerInvariant().Replace('-', '_').Replace(' ', '_');
        return GraphKinds.Contains(name) ? name : null;
    }
}
