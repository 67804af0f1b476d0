namespace Amlfs.Registry;

/// <summary>
/// What differs between two registry definitions: settings, entities, feature views and features (matched by name),
/// each added, removed or changed with the properties that changed. Order is stable: settings, entities, views, then
/// features; within a kind, removed items in their old file order, then added and changed items in their new file
/// order. Reordering items without changing them is not a change.
/// </summary>
public sealed class RegistryDiff
{
    private RegistryDiff(IReadOnlyList<RegistryChange> changes) => Changes = changes;

    public IReadOnlyList<RegistryChange> Changes { get; }

    /// <summary>True when the two definitions declare the same things: applying one over the other changes nothing.</summary>
    public bool IsEmpty => Changes.Count == 0;

    /// <summary>Changes of one kind of item.</summary>
    public IEnumerable<RegistryChange> Of(RegistryItemKind item) => Changes.Where(c => c.Item == item);

    /// <summary>The change of a named item, or null when it did not change.</summary>
    public RegistryChange? Find(RegistryItemKind item, string name) =>
        Changes.FirstOrDefault(c => c.Item == item && c.Name == name);

    /// <summary>The diff that turns <paramref name="before"/> into <paramref name="after"/>.</summary>
    public static RegistryDiff Between(RegistryDefinition before, RegistryDefinition after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changes = new List<RegistryChange>();
        foreach (var (name, old, now) in Settings(before).Zip(Settings(after), (b, a) => (b.Name, b.Value, a.Value)))
        {
            if (old != now)
                changes.Add(new(ChangeKind.Changed, RegistryItemKind.Setting, name, "", [new(name, old, now)]));
        }

        Compare(changes, RegistryItemKind.Entity, before.Entities, after.Entities, e => e.Name, _ => "", EntityProperties);
        Compare(changes, RegistryItemKind.View, before.Views, after.Views, v => v.Name, v => v.Entity, ViewProperties);
        Compare(changes, RegistryItemKind.Feature, before.AllFeatures.ToList(), after.AllFeatures.ToList(),
            f => f.Name, f => f.Entity, FeatureProperties);
        return new RegistryDiff(changes);
    }

    private static void Compare<T>(
        List<RegistryChange> changes,
        RegistryItemKind item,
        IReadOnlyList<T> before,
        IReadOnlyList<T> after,
        Func<T, string> name,
        Func<T, string> entity,
        Func<T, IEnumerable<(string Property, string Value)>> properties)
    {
        var old = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var x in before)
            old.TryAdd(name(x), x);
        var now = new HashSet<string>(after.Select(name), StringComparer.Ordinal);

        foreach (var x in before.Where(x => !now.Contains(name(x))))
            changes.Add(new(ChangeKind.Removed, item, name(x), entity(x), []));
        foreach (var x in after)
        {
            if (!old.TryGetValue(name(x), out var previous))
            {
                changes.Add(new(ChangeKind.Added, item, name(x), entity(x), []));
                continue;
            }

            var changed = properties(previous).Zip(properties(x), (b, a) => new PropertyChange(b.Property, b.Value, a.Value))
                .Where(p => p.Before != p.After)
                .ToList();
            if (changed.Count > 0)
                changes.Add(new(ChangeKind.Changed, item, name(x), entity(x), changed));
        }
    }

    private static IEnumerable<(string Name, string Value)> Settings(RegistryDefinition d) =>
    [
        ("project", d.Project),
        ("timezone", d.TimeZoneId),
        ("source.allowed_lateness", WindowRules.FormatDuration(d.AllowedLatenessMs)),
        ("source.max_clock_skew", WindowRules.FormatDuration(d.MaxClockSkewMs)),
        ("source.dedup_retention", WindowRules.FormatDuration(d.DedupRetentionMs)),
        ("source.query_history", WindowRules.FormatDuration(d.QueryHistoryMs)),
    ];

    private static IEnumerable<(string, string)> EntityProperties(EntityDefinition e) =>
    [
        ("join_key", FieldNames.Name(e.JoinKey)),
        ("inflows", e.Inflows ? "true" : ""),
        ("description", e.Description),
    ];

    private static IEnumerable<(string, string)> ViewProperties(FeatureViewDefinition v) =>
    [
        ("entity", v.Entity),
        ("family", v.Family),
        ("description", v.Description),
        ("owner", v.Owner),
        ("tags", Tags(v.Tags)),
    ];

    // Aggregation properties of a derived or request feature are "" rather than the record's defaults (count, 0),
    // so that turning an aggregation into an expression shows as aggregation: count -> "" and expression: "" -> ....
    private static IEnumerable<(string, string)> FeatureProperties(FeatureDefinition f)
    {
        var isAggregation = f.IsAggregation;
        return
        [
            ("view", f.View),
            ("entity", f.Entity),
            ("aggregation", isAggregation ? AggregationNames.Name(f.Aggregation) : ""),
            ("field", isAggregation && f.Field is { } field ? FieldNames.Name(field) : ""),
            ("window", isAggregation ? WindowRules.FormatDuration(f.WindowMs) : ""),
            ("hop", isAggregation && f.HopMs > 0 ? WindowRules.FormatDuration(f.HopMs) : ""),
            ("filter", isAggregation ? f.Filter.ToString() : ""),
            ("direction", isAggregation && f.Filter.Direction != EdgeDirection.Outflow ? EdgeDirections.Name(f.Filter.Direction) : ""),
            ("lookback", isAggregation && f.LookbackMs > 0 ? WindowRules.FormatDuration(f.LookbackMs) : ""),
            ("bounds", isAggregation ? f.Bounds.ToString() : ""),
            ("threshold_sd", isAggregation && f.ThresholdSd > 0 ? f.ThresholdSd.ToString(System.Globalization.CultureInfo.InvariantCulture) : ""),
            ("expression", f.Expression ?? ""),
            ("description", f.Description),
            ("owner", f.Owner),
            ("tags", Tags(f.Tags)),
        ];
    }

    private static string Tags(IReadOnlyList<string> tags) => tags.Count == 0 ? "" : $"[{string.Join(", ", tags)}]";
}
