using Amlfs.Registry;

namespace Amlfs.Storage;

/// <summary>
/// A registry version and its definitions. Version 0 is the built-in default file, active while nothing has been
/// applied; it has no <see cref="Info"/>.
/// </summary>
public sealed record RegistryVersion(int Number, RegistryDefinition Definition, RegistryVersionInfo? Info)
{
    public bool IsBuiltIn => Number == 0;

    /// <summary>Features of every kind (aggregation, derived and request-time).</summary>
    public int FeatureCount => Definition.AllFeatures.Count();
}
