using System.Text.Json;
using System.Text.Json.Serialization;
using Amlfs.Alerts.Rules;
using Amlfs.Scoring;

namespace Amlfs.Alerts.Outbox;

/// <summary>
/// The one JSON form of an alert, snake_case with enums by their snake_case names: the webhook's body and the
/// outbox's records are both this form, so a receiver and a reader of the outbox see the same fields.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(SnakeCaseEnum<AlertRuleKind>), typeof(SnakeCaseEnum<AlertLevel>), typeof(SnakeCaseEnum<AlertEntity>), typeof(SnakeCaseEnum<RiskLevel>),
        typeof(SnakeCaseEnum<Queries.DeliveryStatus>)])]
[JsonSerializable(typeof(Alert))]
[JsonSerializable(typeof(OutboxOutcome))]
internal sealed partial class AlertJsonContext : JsonSerializerContext
{
    /// <summary>An enum written by its snake_case name, such as <c>high_decisions_per_entity</c>.</summary>
    internal sealed class SnakeCaseEnum<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
        where TEnum : struct, Enum;
}
