using System.Text.Json.Serialization;
using Amlfs.Decisions;

namespace Amlfs.Parquet.Decisions;

/// <summary>The JSON of a decision's contributions as the log stores them: snake_case, as the API writes JSON.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(IReadOnlyList<DecisionContribution>))]
internal sealed partial class DecisionJsonContext : JsonSerializerContext;
