using System.Text.Json.Serialization;

namespace Amlfs.Storage;

/// <summary>The JSON index of a <see cref="RegistryStore"/>: every stored version, oldest first.</summary>
internal sealed record RegistryIndex(IReadOnlyList<RegistryVersionInfo> Versions);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(RegistryIndex))]
internal sealed partial class RegistryIndexJson : JsonSerializerContext;
