using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Amlfs.Registry;

/// <summary>
/// Reads the YAML of a definitions file into a <see cref="RegistryDefinition"/>, collecting every problem with its
/// line and field instead of stopping at the first.
/// </summary>
internal sealed class DefinitionsReader(string file)
{
    private static readonly string[] TopKeys = ["project", "timezone", "source", "entities", "feature_views", "request_features"];
    private static readonly string[] SourceKeys = ["name", "allowed_lateness", "max_clock_skew", "dedup_retention", "query_history"];
    private static readonly string[] EntityKeys = ["name", "join_key", "description", "inflows"];
    private static readonly string[] ViewKeys = ["name", "entity", "family", "owner", "description", "tags", "features"];
    private static readonly string[] FeatureKeys =
        ["name", "aggregation", "field", "window", "hop", "lookback", "threshold_sd", "filter", "direction", "max_hops", "max_visits",
            "max_neighbours", "expression", "description", "owner", "tags"];
    private static readonly string[] RequestFeatureKeys =
        ["name", "entity", "expression", "aggregation", "field", "window", "filter", "direction", "description", "owner", "tags"];

    public List<DefinitionError> Errors { get; } = [];

    /// <summary>Lines of the timezone setting and of each entity (<c>entities.NAME</c>).</summary>
    public Dictionary<string, int> Lines { get; } = new(StringComparer.Ordinal);

    private readonly HashSet<string> _featureNames = new(StringComparer.Ordinal);

    public RegistryDefinition? Read(string text)
    {
        var stream = new YamlStream();
        var parser = new LineTrackingParser(new Parser(new StringReader(text)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            Errors.Add(new(file, (int)e.Start.Line, "yaml", e.InnerException?.Message ?? e.Message));
            return null;
        }
        catch (InvalidOperationException)
        {
            Errors.Add(new(file, parser.Line, "yaml", "malformed YAML, such as an unclosed [ or {"));
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            Errors.Add(new(file, 1, "file", "must be a YAML mapping with project, timezone, entities and feature_views"));
            return null;
        }

        CheckKeys(root, TopKeys, "");
        var project = Scalar(root, "project", "") ?? "amlfs";
        var timeZone = Scalar(root, "timezone", "") ?? "America/Sao_Paulo";
        Lines["timezone"] = Child(root, "timezone") is { } zoneNode ? (int)zoneNode.Start.Line : 0;
        var (lateness, skew, dedup, history) = ReadSource(root);
        var entities = ReadEntities(root);
        var views = ReadViews(root, entities);
        var requestFeatures = ReadRequestFeatures(root, entities);
        return new RegistryDefinition
        {
            Project = project,
            TimeZoneId = timeZone,
            AllowedLatenessMs = lateness,
            MaxClockSkewMs = skew,
            DedupRetentionMs = dedup,
            QueryHistoryMs = history,
            Entities = entities,
            Views = views,
            RequestFeatures = requestFeatures,
            SourceLines = Lines,
        };
    }

    private (long, long, long, long) ReadSource(YamlMappingNode root)
    {
        var defaults = new RegistryDefinition { Project = "", TimeZoneId = "", Entities = [], Views = [] };
        if (Child(root, "source") is not { } node)
            return (defaults.AllowedLatenessMs, defaults.MaxClockSkewMs, defaults.DedupRetentionMs, defaults.QueryHistoryMs);
        if (node is not YamlMappingNode source)
        {
            Error(node, "source", "must be a mapping");
            return (defaults.AllowedLatenessMs, defaults.MaxClockSkewMs, defaults.DedupRetentionMs, defaults.QueryHistoryMs);
        }

        CheckKeys(source, SourceKeys, "source.");
        return (
            Duration(source, "allowed_lateness", "source.", allowZero: true) ?? defaults.AllowedLatenessMs,
            Duration(source, "max_clock_skew", "source.", allowZero: true) ?? defaults.MaxClockSkewMs,
            Duration(source, "dedup_retention", "source.") ?? defaults.DedupRetentionMs,
            Duration(source, "query_history", "source.", allowZero: true) ?? defaults.QueryHistoryMs);
    }

    private List<EntityDefinition> ReadEntities(YamlMappingNode root)
    {
        var entities = new List<EntityDefinition>();
        foreach (var (node, path) in Sequence(root, "entities", "", required: true))
        {
            CheckKeys(node, EntityKeys, path);
            var name = Name(node, path);
            var joinKeyText = Scalar(node, "join_key", path, required: true);
            if (name is null || joinKeyText is null)
                continue;
            if (FieldNames.TryParse(joinKeyText) is not { } joinKey || joinKey is TransactionField.Amount or TransactionField.CounterpartyId)
            {
                Error(Child(node, "join_key")!, path + "join_key", $"must be one of: {FieldNames.JoinKeyList}");
                continue;
            }

            var inflows = false;
            if (Scalar(node, "inflows", path) is { } inflowsText)
            {
                if (!bool.TryParse(inflowsText, out inflows))
                    Error(Child(node, "inflows")!, path + "inflows", $"must be true or false, got '{inflowsText}'");
                else if (inflows && joinKey != TransactionField.CustomerId)
                    Error(Child(node, "inflows")!, path + "inflows", "only an entity joined on customer_id (an account) receives transfers as inflows");
            }

            if (entities.Any(e => e.Name == name))
            {
                Error(node, path + "name", $"entity '{name}' is declared twice");
            }
            else
            {
                entities.Add(new EntityDefinition(name, joinKey, Scalar(node, "description", path) ?? "", inflows));
                Lines["entities." + name] = (int)node.Start.Line;
            }
        }

        return entities;
    }

    private List<FeatureViewDefinition> ReadViews(YamlMappingNode root, List<EntityDefinition> entities)
    {
        var views = new List<FeatureViewDefinition>();
        foreach (var (node, path) in Sequence(root, "feature_views", "", required: true))
        {
            CheckKeys(node, ViewKeys, path);
            var name = Name(node, path);
            var entity = EntityName(node, path, entities);
            var owner = Scalar(node, "owner", path) ?? "";
            var description = Scalar(node, "description", path) ?? "";
            var tags = Tags(node, path);
            var family = Scalar(node, "family", path) ?? "";
            var features = new List<FeatureDefinition>();
            foreach (var (featureNode, featurePath) in Sequence(node, "features", path, required: true))
            {
                if (ReadFeature(featureNode, featurePath, name ?? "", entity ?? "", owner, tags) is { } feature)
                    features.Add(feature with { Family = family });
            }

            if (name is null || entity is null)
                continue;
            if (views.Any(v => v.Name == name))
                Error(node, path + "name", $"feature view '{name}' is declared twice");
            views.Add(new FeatureViewDefinition
            {
                Name = name,
                Entity = entity,
                Owner = owner,
                Description = description,
                Tags = tags,
                Family = family,
                Features = features,
            });
        }

        return views;
    }

    private FeatureDefinition? ReadFeature(
        YamlMappingNode node, string path, string view, string entity, string owner, IReadOnlyList<string> tags)
    {
        var name = Name(node, path);
        CheckKeys(node, FeatureKeys, name is null ? path : name + ".");
        if (name is null)
            return null;
        path = name + ".";
        var line = (int)node.Start.Line;
        var common = new FeatureDefinition
        {
            Name = name,
            Entity = entity,
            View = view,
            Kind = FeatureKind.Aggregation,
            Description = Scalar(node, "description", path) ?? "",
            Owner = Scalar(node, "owner", path) ?? owner,
            Tags = Child(node, "tags") is null ? tags : Tags(node, path),
            Line = line,
        };
        var expression = Scalar(node, "expression", path);
        var aggregationText = Scalar(node, "aggregation", path);
        if (expression is not null)
        {
            foreach (var key in new[] { "aggregation", "field", "window", "hop", "lookback", "threshold_sd", "filter", "direction" }.Concat(GraphSearchRules.Keys))
            {
                if (Child(node, key) is { } extra)
                    Error(extra, path + key, "an expression feature takes no " + key);
            }

            return common with { Kind = FeatureKind.Derived, Expression = expression };
        }

        // Every property is checked even when an earlier one is wrong, so that one run reports every problem.
        var aggregation = aggregationText is null ? null : AggregationNames.TryParse(aggregationText);
        if (aggregationText is null)
            Error(node, path + "aggregation", $"is required (one of: {AggregationNames.List}), or give an expression");
        else if (aggregation is null)
            Error(Child(node, "aggregation")!, path + "aggregation", $"unknown aggregation '{aggregationText}' (one of: {AggregationNames.List})");

        TransactionField? field = null;
        if (Scalar(node, "field", path) is { } fieldText)
        {
            field = FieldNames.TryParse(fieldText);
            if (field is null)
                Error(Child(node, "field")!, path + "field", $"unknown field '{fieldText}' (one of: {FieldNames.List})");
        }
        else if (aggregation is { } kind && AggregationNames.AggregatesAmount(kind))
        {
            field = TransactionField.Amount;
        }

        var window = Duration(node, "window", path, required: true);
        var hop = Scalar(node, "hop", path) == "exact" ? 0 : Duration(node, "hop", path);
        var bounds = new GraphBounds(Count(node, "max_hops", path), Count(node, "max_visits", path), Count(node, "max_neighbours", path));
        var lookback = Duration(node, "lookback", path) ?? 0;
        var thresholdSd = Threshold(node, path);
        var filter = ReadFilterAndDirection(node, path);

        if (aggregation is null || window is null)
            return null;
        return common with
        {
            Aggregation = aggregation.Value,
            Field = field,
            WindowMs = window.Value,
            // Graph searches read single events: their windows are exact without hop: exact.
            HopMs = hop ?? (AggregationNames.SearchesGraph(aggregation.Value) ? 0 : WindowRules.DefaultHopMs(window.Value)),
            LookbackMs = lookback,
            Bounds = bounds,
            ThresholdSd = thresholdSd ?? (aggregation == AggregationKind.OutlierShare ? AggregationNames.DefaultThresholdSd : 0),
            Filter = filter,
        };
    }

    /// <summary>A positive number of standard deviations (<c>threshold_sd: 3</c>, <c>2.5</c>), or null when not given.</summary>
    private double? Threshold(YamlMappingNode node, string path)
    {
        if (Scalar(node, "threshold_sd", path) is not { } text)
            return null;
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value is > 0 and <= 1_000)
            return value;
        Error(Child(node, "threshold_sd")!, path + "threshold_sd", $"must be a positive number of standard deviations such as 3 or 2.5, got '{text}'");
        return null;
    }

    /// <summary>The filter of an aggregation with the direction of the events it counts (outflows when not given).</summary>
    private FeatureFilter ReadFilterAndDirection(YamlMappingNode node, string path)
    {
        var filter = ReadFilter(node, path);
        if (Scalar(node, "direction", path) is not { } directionText)
            return filter;
        if (EdgeDirections.TryParse(directionText) is { } direction)
            return filter.WithDirection(direction);
        Error(Child(node, "direction")!, path + "direction", $"must be one of: {EdgeDirections.List}, got '{directionText}'");
        return filter;
    }

    private FeatureFilter ReadFilter(YamlMappingNode node, string path)
    {
        if (Child(node, "filter") is not { } filterNode)
            return FeatureFilter.None;
        const string Usage = "must be night, weekend, {local_hours: \"09-17\"}, {amount: {min: 9000, max: 10000}} or {multiple_of: 100}";
        if (filterNode is YamlScalarNode { Value: "night" })
            return FeatureFilter.Night;
        if (filterNode is YamlScalarNode { Value: "weekend" })
            return FeatureFilter.Weekend;
        if (filterNode is not YamlMappingNode map || map.Children.Count != 1)
        {
            Error(filterNode, path + "filter", Usage);
            return FeatureFilter.None;
        }

        if (Scalar(map, "local_hours", path + "filter.") is { } hours)
        {
            var parts = hours.Split('-');
            if (parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var from)
                && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var to)
                && from is >= 0 and <= 23 && to is >= 0 and <= 24 && from != to)
            {
                return FeatureFilter.LocalHours(from, to);
            }

            Error(filterNode, path + "filter.local_hours", $"must be \"HH-HH\" with hours 00-24 that differ, got '{hours}'");
            return FeatureFilter.None;
        }

        if (Child(map, "amount") is YamlMappingNode amount)
        {
            var min = Money(amount, "min", path + "filter.amount.") ?? 0;
            var max = Money(amount, "max", path + "filter.amount.") ?? long.MaxValue;
            if (max > min)
                return FeatureFilter.AmountRange(min, max);
            Error(amount, path + "filter.amount", "max must be greater than min");
            return FeatureFilter.None;
        }

        if (Child(map, "multiple_of") is not null)
        {
            if (Money(map, "multiple_of", path + "filter.") is { } step && step > 0)
                return FeatureFilter.MultipleOf(step);
            Error(filterNode, path + "filter.multiple_of", "must be a positive amount such as 100 or 0.50");
            return FeatureFilter.None;
        }

        Error(filterNode, path + "filter", Usage);
        return FeatureFilter.None;
    }

    private List<FeatureDefinition> ReadRequestFeatures(YamlMappingNode root, List<EntityDefinition> entities)
    {
        var features = new List<FeatureDefinition>();
        foreach (var (node, path) in Sequence(root, "request_features", "", required: false))
        {
            CheckKeys(node, RequestFeatureKeys, path);
            var name = Name(node, path);
            var entity = EntityName(node, path, entities);
            var common = new FeatureDefinition
            {
                Name = name ?? "",
                Entity = entity ?? "",
                View = "request",
                Kind = FeatureKind.Request,
                Description = Scalar(node, "description", path) ?? "",
                Owner = Scalar(node, "owner", path) ?? "",
                Tags = Tags(node, path),
                Line = (int)node.Start.Line,
            };
            var featurePath = name is null ? path : name + ".";
            FeatureDefinition? feature;
            if (Child(node, "aggregation") is not null)
            {
                feature = ReadRequestAggregation(node, featurePath, common);
            }
            else
            {
                foreach (var key in new[] { "field", "window", "filter", "direction" })
                {
                    if (Child(node, key) is { } extra)
                        Error(extra, featurePath + key, "an expression feature takes no " + key);
                }

                feature = Scalar(node, "expression", path, required: true) is { } expression ? common with { Expression = expression } : null;
            }

            if (name is null || entity is null || feature is null)
                continue;
            features.Add(feature);
        }

        return features;
    }

    /// <summary>
    /// A request feature that aggregates the entity's events against the request (<c>first_seen</c>,
    /// <c>last_seen_time</c>): an aggregation, a field and an exact window, optionally a filter and a direction.
    /// </summary>
    private FeatureDefinition? ReadRequestAggregation(YamlMappingNode node, string path, FeatureDefinition common)
    {
        if (Child(node, "expression") is { } both)
            Error(both, path + "expression", "a request feature takes an expression or an aggregation, not both");
        var text = Scalar(node, "aggregation", path)!;
        var aggregation = AggregationNames.TryParse(text);
        if (aggregation is not { } kind || !AggregationNames.ComparesWithRequest(kind))
            Error(Child(node, "aggregation")!, path + "aggregation", $"a request feature aggregates against the request with first_seen or last_seen_time, got '{text}'");
        TransactionField? field = null;
        if (Scalar(node, "field", path, required: true) is { } fieldText && (field = FieldNames.TryParse(fieldText)) is null)
            Error(Child(node, "field")!, path + "field", $"unknown field '{fieldText}' (one of: {FieldNames.List})");
        var window = Duration(node, "window", path, required: true);
        var filter = ReadFilterAndDirection(node, path);

        if (aggregation is null || field is null || window is null)
            return null;
        return common with { Aggregation = aggregation.Value, Field = field, WindowMs = window.Value, Filter = filter };
    }

    private string? Name(YamlMappingNode node, string path)
    {
        var name = Scalar(node, "name", path, required: true);
        if (name is null)
            return null;
        if (name.Length == 0 || name.Length > 64 || !char.IsAsciiLetterLower(name[0])
            || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            Error(Child(node, "name")!, path + "name", $"'{name}' must be snake_case: a-z, 0-9 and _, starting with a letter, at most 64 characters");
            return null;
        }

        if (path.Contains("features", StringComparison.Ordinal) && !_featureNames.Add(name))
        {
            Error(Child(node, "name")!, path + "name", $"feature '{name}' is declared twice");
            return null;
        }

        return name;
    }

    private string? EntityName(YamlMappingNode node, string path, List<EntityDefinition> entities)
    {
        var entity = Scalar(node, "entity", path, required: true);
        if (entity is null || entities.Any(e => e.Name == entity))
            return entity;
        Error(Child(node, "entity")!, path + "entity", $"unknown entity '{entity}' (declared: {string.Join(", ", entities.Select(e => e.Name))})");
        return null;
    }

    private IReadOnlyList<string> Tags(YamlMappingNode node, string path)
    {
        if (Child(node, "tags") is not { } tagsNode)
            return [];
        if (tagsNode is YamlSequenceNode seq && seq.Children.All(c => c is YamlScalarNode))
            return seq.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList();
        Error(tagsNode, path + "tags", "must be a list of words, such as [aml, velocity]");
        return [];
    }

    private long? Duration(YamlMappingNode node, string key, string path, bool required = false, bool allowZero = false)
    {
        var text = Scalar(node, key, path, required);
        if (text is null)
            return null;
        var ms = WindowRules.ParseDuration(text);
        if (ms is null || ms < 0 || (ms == 0 && !allowZero))
        {
            Error(Child(node, key)!, path + key, $"must be a duration such as 500ms, 60s, 5m, 1h or 7d, got '{text}'");
            return null;
        }

        return ms;
    }

    /// <summary>A bound such as max_hops: a positive whole number, or 0 when not given.</summary>
    private int Count(YamlMappingNode node, string key, string path)
    {
        var text = Scalar(node, key, path);
        if (text is null)
            return 0;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
            return value;
        Error(Child(node, key)!, path + key, $"must be a positive whole number, got '{text}'");
        return 0;
    }

    private long? Money(YamlMappingNode node, string key, string path)
    {
        var text = Scalar(node, key, path);
        if (text is null)
            return null;
        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            && value >= 0 && decimal.Round(value, 2) == value && value < 1e15m)
        {
            return (long)(value * 100);
        }

        Error(Child(node, key)!, path + key, $"must be a non-negative amount with at most 2 decimals, got '{text}'");
        return null;
    }

    private IEnumerable<(YamlMappingNode Node, string Path)> Sequence(YamlMappingNode node, string key, string path, bool required)
    {
        var child = Child(node, key);
        if (child is null)
        {
            if (required)
                Error(node, path + key, "is required");
            yield break;
        }

        if (child is not YamlSequenceNode seq)
        {
            if (child is not YamlScalarNode { Value: null or "" } || required)
                Error(child, path + key, "must be a list");
            yield break;
        }

        for (var i = 0; i < seq.Children.Count; i++)
        {
            if (seq.Children[i] is YamlMappingNode map)
                yield return (map, string.Create(CultureInfo.InvariantCulture, $"{path}{key}[{i}]."));
            else
                Error(seq.Children[i], string.Create(CultureInfo.InvariantCulture, $"{path}{key}[{i}]"), "must be a mapping");
        }
    }

    private string? Scalar(YamlMappingNode node, string key, string path, bool required = false)
    {
        var child = Child(node, key);
        if (child is null)
        {
            if (required)
                Error(node, path + key, "is required");
            return null;
        }

        if (child is YamlScalarNode scalar)
            return scalar.Value;
        Error(child, path + key, "must be a single value");
        return null;
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private void CheckKeys(YamlMappingNode node, string[] known, string path)
    {
        foreach (var key in node.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "?";
            if (!known.Contains(name))
                Error(key, path + name, $"unknown key (known: {string.Join(", ", known)})");
        }
    }

    private void Error(YamlNode node, string field, string message) =>
        Errors.Add(new(file, (int)node.Start.Line, field, message));
}
