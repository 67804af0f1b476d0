using System.Globalization;

namespace Amlfs.Registry;

/// <summary>
/// The bounds of a graph aggregation (<see cref="AggregationNames.SearchesGraph"/>), as a definition gives them: 0
/// where it gives none. <see cref="GraphSearchRules.Resolve"/> fills in each kind's defaults and checks the limits.
/// </summary>
/// <param name="MaxHops">For <c>cycle_count</c>: the most transfers a cycle may take, the account's own included (2 to 6).</param>
/// <param name="MaxVisits">For <c>cycle_count</c> and <c>scatter_gather</c>: the most states of other accounts one evaluation expands.</param>
/// <param name="MaxNeighbours">For the ego-network kinds: the most neighbours the ego network keeps, most recent contacts first.</param>
public readonly record struct GraphBounds(int MaxHops, int MaxVisits, int MaxNeighbours)
{
    /// <summary>No bound given.</summary>
    public static GraphBounds None => default;

    /// <summary>The bounds as the definitions file writes them, such as <c>max_hops 4, max_visits 2000</c>; "" when none.</summary>
    public override string ToString() => string.Join(", ", new[]
    {
        MaxHops > 0 ? string.Create(CultureInfo.InvariantCulture, $"max_hops {MaxHops}") : null,
        MaxVisits > 0 ? string.Create(CultureInfo.InvariantCulture, $"max_visits {MaxVisits}") : null,
        MaxNeighbours > 0 ? string.Create(CultureInfo.InvariantCulture, $"max_neighbours {MaxNeighbours}") : null,
    }.OfType<string>());
}
