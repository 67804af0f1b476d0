using Amlfs.Registry;

namespace Amlfs.Storage;

/// <summary>
/// The outcome of <see cref="RegistryStore.Apply"/>: the diff from the previously active version, and the version now
/// active, which is a new one only when <see cref="Stored"/> (the diff was not empty).
/// </summary>
public sealed record RegistryApplyResult(RegistryVersion Previous, RegistryVersion Active, RegistryDiff Diff)
{
    public bool Stored => Active.Number != Previous.Number;
}
