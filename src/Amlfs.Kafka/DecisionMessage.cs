using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Amlfs.Decisions;
using Amlfs.Scoring;
using Amlfs.Transactions;

namespace Amlfs.Kafka;

/// <summary>
/// The one format of a decision on the decisions topic: a UTF-8 JSON object with snake_case fields, keyed by
/// <c>customer_id</c> like the transaction it decides, so that one customer's decisions stay in order within one
/// partition. Amounts are JSON numbers in currency units and times ISO-8601 UTC instants with milliseconds, as in a
/// transaction message; the risk level is <c>LOW</c>, <c>MEDIUM</c> or <c>HIGH</c>, as <c>/predict</c> gives it. Optional
/// fields (<c>features_as_of</c>, <c>anomaly_score</c>, <c>contributions</c>) are left out when absent.
/// </summary>
public static class DecisionMessage
{
    /// <summary>The message value of <paramref name="decision"/>.</summary>
    public static byte[] Serialize(Decision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var buffer = new ArrayBufferWriter<byte>(320);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("transaction_id", decision.TransactionId);
            writer.WriteString("customer_id", decision.CustomerId);
            writer.WriteString("merchant_id", decision.MerchantId);
            writer.WriteString("destination_type", DestinationTypes.Name(decision.DestinationType));
            writer.WriteNumber("amount", decision.AmountCents / 100m);
            writer.WriteString("timestamp", TransactionTimestamps.Format(decision.EventTimeMs));
            writer.WriteNumber("log_sequence", decision.LogSequence);
            writer.WriteString("decided_at", TransactionTimestamps.Format(decision.DecidedAtMs));
            writer.WriteNumber("risk_score", decision.Score);
            writer.WriteString("risk_level", LevelName(decision.Level));
            writer.WriteString("model_version", decision.ModelVersion);
            if (decision.FeaturesAsOfMs is { } asOf)
                writer.WriteString("features_as_of", TransactionTimestamps.Format(asOf));
            if (decision.AnomalyScore is { } anomaly)
                writer.WriteNumber("anomaly_score", anomaly);
            if (decision.Contributions is { } contributions)
            {
                writer.WriteStartArray("contributions");
                foreach (var contribution in contributions)
                {
                    writer.WriteStartObject();
                    writer.WriteString("feature", contribution.Feature);
                    writer.WriteNumber("value", contribution.Value);
                    writer.WriteNumber("contribution", contribution.Contribution);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads a message value back into a <see cref="Decision"/>. Unknown fields are ignored, so that writers may add
    /// some.
    /// </summary>
    /// <exception cref="InvalidDataException">The value is not a decision; the message names the field at fault.</exception>
    public static Decision Parse(ReadOnlySpan<byte> value)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(value);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"a decision message is not JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"a decision message is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object");
            var decision = new Decision(
                Text(root, "transaction_id"),
                Text(root, "customer_id"),
                Text(root, "merchant_id"),
                Text(root, "destination_type") switch
                {
                    DestinationTypes.Merchant => DestinationType.Merchant,
                    DestinationTypes.Account => DestinationType.Account,
                    var other => throw Invalid("destination_type", $"'{other}' is not merchant or account"),
                },
                Cents(root),
                Time(root, "timestamp"),
                Number(root, "log_sequence").TryGetInt64(out var sequence) ? sequence : throw Invalid("log_sequence", "is not a whole number"),
                Time(root, "decided_at"),
                Number(root, "risk_score").GetDouble(),
                Level(Text(root, "risk_level")),
                Text(root, "model_version"));
            return decision with
            {
                FeaturesAsOfMs = root.TryGetProperty("features_as_of", out _) ? Time(root, "features_as_of") : null,
                AnomalyScore = root.TryGetProperty("anomaly_score", out _) ? Number(root, "anomaly_score").GetDouble() : null,
                Contributions = root.TryGetProperty("contributions", out var list) ? Contributions(list) : null,
            };
        }
    }

    /// <summary>The wire name of <paramref name="level"/>: <c>LOW</c>, <c>MEDIUM</c> or <c>HIGH</c>.</summary>
    private static string LevelName(RiskLevel level) => level switch
    {
        RiskLevel.Low => "LOW",
        RiskLevel.Medium => "MEDIUM",
        RiskLevel.High => "HIGH",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "not a risk level"),
    };

    private static RiskLevel Level(string name) => name switch
    {
        "LOW" => RiskLevel.Low,
        "MEDIUM" => RiskLevel.Medium,
        "HIGH" => RiskLevel.High,
        _ => throw Invalid("risk_level", $"'{name}' is not LOW, MEDIUM or HIGH"),
    };

    private static DecisionContribution[] Contributions(JsonElement list)
    {
        if (list.ValueKind != JsonValueKind.Array)
            throw Invalid("contributions", "is not an array");
        var contributions = new DecisionContribution[list.GetArrayLength()];
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
                throw Invalid($"contributions[{i}]", "is not an object");
            contributions[i] = new DecisionContribution(
                Text(item, "feature", $"contributions[{i}]."), Number(item, "value", $"contributions[{i}].").GetDouble(),
                Number(item, "contribution", $"contributions[{i}].").GetDouble());
            i++;
        }

        return contributions;
    }

    private static long Cents(JsonElement root)
    {
        var amount = Number(root, "amount");
        if (!amount.TryGetDecimal(out var units) || decimal.Round(units, 2) != units)
            throw Invalid("amount", $"{amount.GetRawText()} is not an amount in cents");
        return (long)(units * 100);
    }

    private static long Time(JsonElement root, string field)
    {
        var text = Text(root, field);
        return TransactionTimestamps.TryParse(text, out var time)
            ? time.ToUnixTimeMilliseconds()
            : throw Invalid(field, TransactionTimestamps.Problem(text));
    }

    private static string Text(JsonElement root, string field, string path = "")
    {
        if (!root.TryGetProperty(field, out var value))
            throw Invalid(path + field, "is missing");
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid(path + field, $"is a JSON {value.ValueKind.ToString().ToLowerInvariant()}, not a string");
    }

    private static JsonElement Number(JsonElement root, string field, string path = "")
    {
        if (!root.TryGetProperty(field, out var value))
            throw Invalid(path + field, "is missing");
        return value.ValueKind == JsonValueKind.Number ? value : throw Invalid(path + field, $"is a JSON {value.ValueKind.ToString().ToLowerInvariant()}, not a number");
    }

    private static InvalidDataException Invalid(string field, string problem) =>
        new(string.Create(CultureInfo.InvariantCulture, $"a decision message's {field} {problem}"));
}
