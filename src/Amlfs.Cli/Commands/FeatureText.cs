using Amlfs.Registry;

namespace Amlfs.Cli.Commands;

/// <summary>How the CLI writes a feature's computation in one short cell: <c>sum(amount)</c>, <c>count [night]</c>,
/// <c>24h / 5m hop</c>.</summary>
internal static class FeatureText
{
    /// <summary><c>count</c>, <c>sum(amount)</c>, <c>distinct_count(ip_address)</c>, <c>count [night]</c>; <c>expression</c>
    /// for derived and request features.</summary>
    public static string Aggregation(FeatureDefinition feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        if (!feature.IsAggregation)
            return "expression";
        var text = AggregationNames.Name(feature.Aggregation);
        if (feature.Field is { } field)
            text += $"({FieldNames.Name(field)})";
        if (feature.ThresholdSd > 0)
            text += string.Create(System.Globalization.CultureInfo.InvariantCulture, $" beyond {feature.ThresholdSd} sd");
        if (feature.Filter.Direction != EdgeDirection.Outflow)
            text += $" {EdgeDirections.Name(feature.Filter.Direction)}";
        if (feature.Filter.Kind != FilterKind.None)
            text += $" [{feature.Filter}]";
        if (AggregationNames.SearchesGraph(feature.Aggregation) && GraphSearchRules.Resolve(feature.Aggregation, feature.Bounds, []) is { } bounds
            && bounds != GraphBounds.None)
        {
            text += $" ({bounds})";
        }

        return text;
    }

    /// <summary><c>1h</c>, or <c>24h / 5m hop</c> for a tiled window; empty for derived and request features.</summary>
    public static string Window(FeatureDefinition feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        if (!feature.IsAggregation)
            return "";
        var window = WindowRules.FormatDuration(feature.WindowMs);
        return feature.IsTiled ? $"{window} / {WindowRules.FormatDuration(feature.HopMs)} hop" : window;
    }

    /// <summary>One line for a feature in a diff: its computation and window, or its expression.</summary>
    public static string Summary(FeatureDefinition feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        return feature.IsAggregation
            ? $"{(feature.Kind == FeatureKind.Request ? "request " : "")}{Aggregation(feature)} over {Window(feature)}"
            : $"{(feature.Kind == FeatureKind.Request ? "request expression" : "expression")} {feature.Expression}";
    }
}
