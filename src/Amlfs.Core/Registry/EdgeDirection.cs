namespace Amlfs.Registry;

/// <summary>
/// Which of an entity's events an aggregation counts, by the end of the edge the entity sits at. An entity joined on
/// <c>customer_id</c> that declares <c>inflows: true</c> receives both the transactions it sends (outflows) and the
/// transfers to it as a destination account (inflows); every other entity receives only outflows in this sense: the
/// transactions whose join key names it.
/// </summary>
public enum EdgeDirection : byte
{
    /// <summary>The transactions whose join key names the entity (the default).</summary>
    Outflow = 0,

    /// <summary>Transfers to the entity as their destination account.</summary>
    Inflow = 1,

    /// <summary>Both.</summary>
    Both = 2,
}

/// <summary>The definitions file's spelling of <see cref="EdgeDirection"/>.</summary>
public static class EdgeDirections
{
    public const string List = "outflow, inflow, both";

    public static EdgeDirection? TryParse(string text) => text switch
    {
        "outflow" => EdgeDirection.Outflow,
        "inflow" => EdgeDirection.Inflow,
        "both" => EdgeDirection.Both,
        _ => null,
    };

    public static string Name(EdgeDirection direction) => direction switch
    {
        EdgeDirection.Inflow => "inflow",
        EdgeDirection.Both => "both",
        _ => "outflow",
    };
}
