using System.Text.Json;
using System.Text.Json.Nodes;
using Amlfs.Privacy;

namespace Amlfs.Kafka.Workers;

/// <summary>
/// The value a dead letter carries: the message as it came, with the string values of its <c>ip_address</c> and
/// <c>device_id</c> fields replaced by their pseudonyms. A value that is not a JSON object (a malformed message) has no
/// fields to find and goes as it came.
/// </summary>
internal static class DeadLetterValue
{
    public static byte[] Of(byte[] value, Pseudonymizer pseudonyms)
    {
        JsonObject? message;
        try
        {
            message = JsonNode.Parse(value) as JsonObject;
        }
        catch (JsonException)
        {
            return value;
        }

        if (message is null)
            return value;
        var changed = Replace(message, "ip_address", pseudonyms.IpAddress) | Replace(message, "device_id", pseudonyms.DeviceId);
        return changed ? JsonSerializer.SerializeToUtf8Bytes(message) : value;
    }

    private static bool Replace(JsonObject message, string field, Func<string?, string?> pseudonym)
    {
        if (message[field] is not JsonValue node || !node.TryGetValue<string>(out var raw) || string.IsNullOrEmpty(raw))
            return false;
        message[field] = pseudonym(raw);
        return true;
    }
}
