using System.Globalization;
using Amlfs.Yaml;
using YamlDotNet.RepresentationModel;
using static Amlfs.Yaml.YamlFileReader;

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

    private readonly YamlFileReader _yaml = new(emptyIsAbsent: false);

    /// <summary>Every problem found, each placed in the file.</summary>
    public IReadOnlyList<DefinitionError> Errors => [.. _yaml.Problems.Select(p => new DefinitionError(file, p.Line, p.Path, p.Message))];

    /// <summary>Lines of the timezone setting and of each entity (<c>entities.NAME</c>).</summary>
    public Dictionary<string, int> Lines { get; } = new(StringComparer.Ordinal);

    private readonly HashSet<string> _featureNames = new(StringComparer.Ordinal);

    public RegistryDefinition? Read(string text)
    {
        if (_yaml.Root(text, "a YAML mapping with project, timezone, entities and feature_views") is not { } root)
            return null;

        _yaml.CheckKeys(root, TopKeys, "");
        var project = _yaml.Scalar(root, "project", "") ?? "amlfs";
        var timeZone = _yaml.Scalar(root, "timezone", "") ?? "America/Sao_Paulo";
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
            _yaml.Error(node, "source", "must be a mapping");
            return (defaults.AllowedLatenessMs, defaults.MaxClockSkewMs, defaults.DedupRetentionMs, defaults.QueryHistoryMs);
        }

        _yaml.CheckKeys(source, SourceKeys, "source.");
        return (
            Duration(source, "allowed_lateness", "source.", allowZero: true) ?? defaults.AllowedLatenessMs,
            Duration(source, "max_clock_skew", "source.", allowZero: true) ?? defaults.MaxClockSkewMs,
            Duration(source, "dedup_retention", "source.") ?? defaults.DedupRetentionMs,
            Duration(source, "query_history", "source.", allowZero: true) ?? defaults.QueryHistoryMs);
    }

    private List<EntityDefinition> ReadEntities(YamlMappingNode root)
    {
        var entities = new List<EntityDefinition>();
        foreach (var (node, path) in _yaml.Sequence(root, "entities", "", required: true))
        {
            _yaml.CheckKeys(node, EntityKeys, path);
            var name = Name(node, path);
            var joinKeyText = _yaml.Scalar(node, "join_key", path, required: true);
            if (name is null || joinKeyText is null)
                continue;
            if (FieldNames.TryParse(joinKeyText) is not { } joinKey || joinKey is TransactionField.Amount or TransactionField.CounterpartyId)
            {
                _yaml.Error(Child(node, "join_key")!, path + "join_key", $"must be one of: {FieldNames.JoinKeyList}");
                continue;
            }

            var inflows = false;
            if (_yaml.Scalar(node, "inflows", path) is { } inflowsText)
            {
                if (!bool.TryParse(inflowsText, out inflows))
                    _yaml.Error(Child(node, "inflows")!, path + "inflows", $"must be true or false, got '{inflowsText}'");
                else if (inflows && joinKey != TransactionField.CustomerId)
                    _yaml.Error(Child(node, "inflows")!, path + "inflows", "only an entity joined on customer_id (an account) receives transfers as inflows");
            }

            if (entities.Any(e => e.Name == name))
            {
                _yaml.Error(node, path + "name", $"entity '{name}' is declared twice");
            }
            else
            {
                entities.Add(new EntityDefinition(name, joinKey, _yaml.Scalar(node, "description", path) ?? "", inflows));
                Lines["entities." + name] = (int)node.Start.Line;
            }
        }

        return entities;
    }

    private List<FeatureViewDefinition> ReadViews(YamlMappingNode root, List<EntityDefinition> entities)
    {
        var views = new List<FeatureViewDefinition>();
        foreach (var (node, path) in _yaml.Sequence(root, "feature_views", "", required: true))
        {
            _yaml.CheckKeys(node, ViewKeys, path);
            var name = Name(node, path);
            var entity = EntityName(node, path, entities);
            var owner = _yaml.Scalar(node, "owner", path) ?? "";
            var description = _yaml.Scalar(node, "description", path) ?? "";
            var tags = Tags(node, path);
            var family = _yaml.Scalar(node, "family", path) ?? "";
            var features = new List<FeatureDefinition>();
            foreach (var (featureNode, featurePath) in _yaml.Sequence(node, "features", path, required: true))
            {
                if (ReadFeature(featureNode, featurePath, name ?? "", entity ?? "", owner, tags) is { } feature)
                    features.Add(feature with { Family = family });
            }

            if (name is null || entity is null)
                continue;
            if (views.Any(v => v.Name == name))
                _yaml.Error(node, path + "name", $"feature view '{name}' is declared twice");
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
        _yaml.CheckKeys(node, FeatureKeys, name is null ? path : name + ".");
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
            Description = _yaml.Scalar(node, "description", path) ?? "",
            Owner = _yaml.Scalar(node, "owner", path) ?? owner,
            Tags = Child(node, "tags") is null ? tags : Tags(node, path),
            Line = line,
        };
        var expression = _yaml.Scalar(node, "expression", path);
        var aggregationText = _yaml.Scalar(node, "aggregation", path);
        if (expression is not null)
        {
            foreach (var key in new[] { "aggregation", "field", "window", "hop", "lookback", "threshold_sd", "filter", "direction" }.Concat(GraphSearchRules.Keys))
            {
                if (Child(node, key) is { } extra)
                    _yaml.Error(extra, path + key, "an expression feature takes no " + key);
            }

            return common with { Kind = FeatureKind.Derived, Expression = expression };
        }

        // Every property is checked even when an earlier one is wrong, so that one run reports every problem.
        var aggregation = aggregationText is null ? null : AggregationNames.TryParse(aggregationText);
        if (aggregationText is null)
            _yaml.Error(node, path + "aggregation", $"is required (one of: {AggregationNames.List}), or give an expression");
        else if (aggregation is null)
            _yaml.Error(Child(node, "aggregation")!, path + "aggregation", $"unknown aggregation '{aggregationText}' (one of: {AggregationNames.List})");

        TransactionField? field = null;
        if (_yaml.Scalar(node, "field", path) is { } fieldText)
        {
            field = FieldNames.TryParse(fieldText);
            if (field is null)
                _yaml.Error(Child(node, "field")!, path + "field", $"unknown field '{fieldText}' (one of: {FieldNames.List})");
        }
        else if (aggregation is { } kind && AggregationNames.AggregatesAmount(kind))
        {
            field = TransactionField.Amount;
        }

        var window = Duration(node, "window", path, required: true);
        var hop = _yaml.Scalar(node, "hop", path) == "exact" ? 0 : Duration(node, "hop", path);
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
        if (_yaml.Scalar(node, "threshold_sd", path) is not { } text)
            return null;
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value is > 0 and <= 1_000)
            return value;
        _yaml.Error(Child(node, "threshold_sd")!, path + "threshold_sd", $"must be a positive number of standard deviations such as 3 or 2.5, got '{text}'");
        return null;
    }

    /// <summary>The filter of an aggregation with the direction of the events it counts (outflows when not given).</summary>
    private FeatureFilter ReadFilterAndDirection(YamlMappingNode node, string path)
    {
        var filter = ReadFilter(node, path);
        if (_yaml.Scalar(node, "direction", path) is not { } directionText)
            return filter;
        if (EdgeDirections.TryParse(directionText) is { } direction)
            return filter.WithDirection(direction);
        _yaml.Error(Child(node, "direction")!, path + "direction", $"must be one of: {EdgeDirections.List}, got '{directionText}'");
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
            _yaml.Error(filterNode, path + "filter", Usage);
            return FeatureFilter.None;
        }

        if (_yaml.Scalar(map, "local_hours", path + "filter.") is { } hours)
        {
            var parts = hours.Split('-');
            if (parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var from)
                && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var to)
                && from is >= 0 and <= 23 && to is >= 0 and <= 24 && from != to)
            {
                return FeatureFilter.LocalHours(from, to);
            }

            _yaml.Error(filterNode, path + "filter.local_hours", $"must be \"HH-HH\" with hours 00-24 that differ, got '{hours}'");
            return FeatureFilter.None;
        }

        if (Child(map, "amount") is YamlMappingNode amount)
        {
            var min = Money(amount, "min", path + "filter.amount.") ?? 0;
            var max = Money(amount, "max", path + "filter.amount.") ?? long.MaxValue;
            if (max > min)
                return FeatureFilter.AmountRange(min, max);
            _yaml.Error(amount, path + "filter.amount", "max must be greater than min");
            return FeatureFilter.None;
        }

        if (Child(map, "multiple_of") is not null)
        {
            if (Money(map, "multiple_of", path + "filter.") is { } step && step > 0)
                return FeatureFilter.MultipleOf(step);
            _yaml.Error(filterNode, path + "filter.multiple_of", "must be a positive amount such as 100 or 0.50");
            return FeatureFilter.None;
        }

        _yaml.Error(filterNode, path + "filter", Usage);
        return FeatureFilter.None;
    }

    private List<FeatureDefinition> ReadRequestFeatures(YamlMappingNode root, List<EntityDefinition> entities)
    {
        var features = new List<FeatureDefinition>();
        foreach (var (node, path) in _yaml.Sequence(root, "request_features", "", required: false))
        {
            _yaml.CheckKeys(node, RequestFeatureKeys, path);
            var name = Name(node, path);
            var entity = EntityName(node, path, entities);
            var common = new FeatureDefinition
            {
                Name = name ?? "",
                Entity = entity ?? "",
                View = "request",
                Kind = FeatureKind.Request,
                Description = _yaml.Scalar(node, "description", path) ?? "",
                Owner = _yaml.Scalar(node, "owner", path) ?? "",
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
                        _yaml.Error(extra, featurePath + key, "an expression feature takes no " + key);
                }

                feature = _yaml.Scalar(node, "expression", path, required: true) is { } expression ? common with { Expression = expression } : null;
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
            _yaml.Error(both, path + "expression", "a request feature takes an expression or an aggregation, not both");
        var text = _yaml.Scalar(node, "aggregation", path)!;
        var aggregation = AggregationNames.TryParse(text);
        if (aggregation is not { } kind || !AggregationNames.ComparesWithRequest(kind))
            _yaml.Error(Child(node, "aggregation")!, path + "aggregation", $"a request feature aggregates against the request with first_seen or last_seen_time, got '{text}'");
        TransactionField? field = null;
        if (_yaml.Scalar(node, "field", path, required: true) is { } fieldText && (field = FieldNames.TryParse(fieldText)) is null)
            _yaml.Error(Child(node, "field")!, path + "field", $"unknown field '{fieldText}' (one of: {FieldNames.List})");
        var window = Duration(node, "window", path, required: true);
        var filter = ReadFilterAndDirection(node, path);

        if (aggregation is null || field is null || window is null)
            return null;
        return common with { Aggregation = aggregation.Value, Field = field, WindowMs = window.Value, Filter = filter };
    }

    private string? Name(YamlMappingNode node, string path)
    {
        var name = _yaml.Scalar(node, "name", path, required: true);
        if (name is null)
            return null;
        if (name.Length == 0 || name.Length > 64 || !char.IsAsciiLetterLower(name[0])
            || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            _yaml.Error(Child(node, "name")!, path + "name", $"'{name}' must be snake_case: a-z, 0-9 and _, starting with a letter, at most 64 characters");
            return null;
        }

        if (path.Contains("features", StringComparison.Ordinal) && !_featureNames.Add(name))
        {
            _yaml.Error(Child(node, "name")!, path + "name", $"feature '{name}' is declared twice");
            return null;
        }

        return name;
    }

    private string? EntityName(YamlMappingNode node, string path, List<EntityDefinition> entities)
    {
        var entity = _yaml.Scalar(node, "entity", path, required: true);
        if (entity is null || entities.Any(e => e.Name == entity))
            return entity;
        _yaml.Error(Child(node, "entity")!, path + "entity", $"unknown entity '{entity}' (declared: {string.Join(", ", entities.Select(e => e.Name))})");
        return null;
    }

    private IReadOnlyList<string> Tags(YamlMappingNode node, string path)
    {
        if (Child(node, "tags") is not { } tagsNode)
            return [];
        if (tagsNode is YamlSequenceNode seq && seq.Children.All(c => c is YamlScalarNode))
            return seq.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList();
        _yaml.Error(tagsNode, path + "tags", "must be a list of words, such as [aml, velocity]");
        return [];
    }

    private long? Duration(YamlMappingNode node, string key, string path, bool required = false, bool allowZero = false)
    {
        var text = _yaml.Scalar(node, key, path, required);
        if (text is null)
            return null;
        var ms = WindowRules.ParseDuration(text);
        if (ms is null || ms < 0 || (ms == 0 && !allowZero))
        {
            _yaml.Error(Child(node, key)!, path + key, $"must be a duration such as 500ms, 60s, 5m, 1h or 7d, got '{text}'");
            return null;
        }

        return ms;
    }

    /// <summary>A bound such as max_hops: a positive whole number, or 0 when not given.</summary>
    private int Count(YamlMappingNode node, string key, string path)
    {
        var text = _yaml.Scalar(node, key, path);
        if (text is null)
            return 0;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
            return value;
        _yaml.Error(Child(node, key)!, path + key, $"must be a positive whole number, got '{text}'");
        return 0;
    }

    private long? Money(YamlMappingNode node, string key, string path)
    {
        var text = _yaml.Scalar(node, key, path);
        if (text is null)
            return null;
        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            && value >= 0 && decimal.Round(value, 2) == value && value < 1e15m)
        {
            return (long)(value * 100);
        }

        _yaml.Error(Child(node, key)!, path + key, $"must be a non-negative amount with at most 2 decimals, got '{text}'");
        return null;
    }
}
