namespace Amlfs.Server.Dashboard.Contracts;

/// <summary>A feature's place in the definitions, for labels and grouping on the entity page.</summary>
internal sealed record FeatureInfo(string Name, string View, string? Family, string Description);
