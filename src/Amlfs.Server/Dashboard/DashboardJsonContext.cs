using System.Text.Json.Serialization;
using Amlfs.Server.Contracts;
using Amlfs.Server.Dashboard.Contracts;

namespace Amlfs.Server.Dashboard;

/// <summary>Source-generated JSON of the dashboard's answers and of its live stream: snake_case, nulls left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(OverviewUpdate))]
[JsonSerializable(typeof(OverviewHistory))]
[JsonSerializable(typeof(DashboardInfo))]
[JsonSerializable(typeof(AlertsResponse))]
[JsonSerializable(typeof(DecisionDetail))]
[JsonSerializable(typeof(EntityDetail))]
[JsonSerializable(typeof(EntitySeries))]
[JsonSerializable(typeof(ModelDetail))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
