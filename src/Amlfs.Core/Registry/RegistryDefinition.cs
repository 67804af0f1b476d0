namespace Amlfs.Registry;

/// <summary>
/// The whole content of a definitions file: project settings, entities, feature views and request-time features.
/// <see cref="DefinitionsLoader"/> reads it and checks what the file alone can tell (keys, types, names, durations);
/// compiling it for the engine (<c>FeaturePlan.Compile</c>) checks the rest (windows, fields, expressions), so a
/// definition that compiled is valid, and the registry stores only such definitions.
/// </summary>
public sealed record RegistryDefinition
{
    public required string Project { get; init; }

    /// <summary>IANA time zone of the calendar filters (night, weekend, local hours).</summary>
    public required string TimeZoneId { get; init; }

    /// <summary>How far behind the source watermark an event may arrive and still be accepted.</summary>
    public long AllowedLatenessMs { get; init; } = 5 * 60_000;

    /// <summary>How far ahead of the clock an event time may be.</summary>
    public long MaxClockSkewMs { get; init; } = 60_000;

    /// <summary>How long a transaction id is remembered for duplicate detection.</summary>
    public long DedupRetentionMs { get; init; } = 7 * 86_400_000L;

    /// <summary>How far behind the watermark a query's as-of time may be.</summary>
    public long QueryHistoryMs { get; init; } = 86_400_000L;

    public required IReadOnlyList<EntityDefinition> Entities { get; init; }

    /// <summary>
    /// Where settings and entities were declared, for errors found after reading: the line of <c>timezone</c> and of
    /// each <c>entities.NAME</c> in the file read (features carry their own <see cref="FeatureDefinition.Line"/>).
    /// </summary>
    public IReadOnlyDictionary<string, int> SourceLines { get; init; } = new Dictionary<string, int>(StringComparer.Ordinal);

    public required IReadOnlyList<FeatureViewDefinition> Views { get; init; }

    /// <summary>Features that also read the request being scored; served by scoring, not stored.</summary>
    public IReadOnlyList<FeatureDefinition> RequestFeatures { get; init; } = [];

    /// <summary>Every stored feature (aggregations and derived), in file order.</summary>
    public IEnumerable<FeatureDefinition> StoredFeatures => Views.SelectMany(v => v.Features);

    /// <summary>Every feature, stored then request-time, in file order.</summary>
    public IEnumerable<FeatureDefinition> AllFeatures => StoredFeatures.Concat(RequestFeatures);

    /// <summary>
    /// How far back from a query time the longest aggregation reaches: its window plus its hop, since a tiled window
    /// starts at a hop boundary. 0 when there is no aggregation.
    /// </summary>
    public long LongestWindowSpanMs => StoredFeatures
        .Where(f => f.Kind == FeatureKind.Aggregation)
        .Select(f => f.WindowMs + f.HopMs)
        .DefaultIfEmpty(0)
        .Max();
}
