using System.Text.Json.Serialization;
using Amlfs.Learning.Drift;

namespace Amlfs.Learning.Models;

/// <summary>The JSON of the model registry's files: snake_case, indented, so a person can read them.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(ModelManifest))]
[JsonSerializable(typeof(ModelActivation))]
[JsonSerializable(typeof(ReferenceDistribution))]
public sealed partial class ModelRegistryJson : JsonSerializerContext;
