namespace Amlfs.Registry;

/// <summary>
/// One entry of a <see cref="RegistryDiff"/>: an item added, removed or changed. <see cref="Entity"/> is the entity of
/// a feature or view ("" for settings and entities); <see cref="Properties"/> lists what changed, and is empty for
/// added and removed items.
/// </summary>
public sealed record RegistryChange(
    ChangeKind Kind, RegistryItemKind Item, string Name, string Entity, IReadOnlyList<PropertyChange> Properties);
