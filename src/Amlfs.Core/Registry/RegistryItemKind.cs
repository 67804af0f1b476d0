namespace Amlfs.Registry;

/// <summary>What kind of registry item a <see cref="RegistryChange"/> is about.</summary>
public enum RegistryItemKind
{
    /// <summary>A project setting: project, timezone or one of the source durations (source.allowed_lateness, ...).</summary>
    Setting,

    Entity,

    View,

    /// <summary>An aggregation, derived or request-time feature.</summary>
    Feature,
}
