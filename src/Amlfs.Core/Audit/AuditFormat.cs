using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Amlfs.Audit;

/// <summary>
/// The byte format of an audit record: one line of UTF-8 JSON, its fields always in this order and nothing else in it,
/// <c>details</c> keys in ordinal order:
/// <code>
/// {"sequence":7,"time":"2026-01-05T14:30:00.123Z","actor":"cli:ana","action":"model.activated","subject":"gbt-2","details":{"previous":"gbt-1"},"prev":"9f..64 hex","hash":"3a..64 hex"}\n
/// </code>
/// <c>hash</c> is the lowercase hex SHA-256 of the line's bytes with its hash field taken out: everything before
/// <c>,"hash":</c> followed by <c>}</c>, which is the record without <c>hash</c> (and includes <c>prev</c>).
/// <c>prev</c> is the previous record's <c>hash</c>, 64 zeros for the first. The hash is over the bytes as stored, not
/// over a re-serialization, so an outside tool verifies a line by string slicing alone (<c>docs/audit.md</c>).
/// </summary>
public static class AuditFormat
{
    /// <summary>The <c>prev</c> of the first record: 64 zeros.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The time format: UTC, ISO 8601 to the millisecond.</summary>
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    // ,"hash":"<64 hex>"} closes every line: 9 + 64 + 2 bytes.
    private const int HashSuffixLength = 75;
    private static readonly string[] FieldOrder = ["sequence", "time", "actor", "action", "subject", "details", "prev", "hash"];

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Non-ASCII text (names, Portuguese) stays readable; quotes, backslashes and control characters are escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };

    /// <summary>
    /// The stored line of a record (with its final <c>\n</c>) and its hash. <paramref name="time"/> is kept to the
    /// millisecond, in UTC.
    /// </summary>
    public static byte[] Line(
        long sequence, DateTimeOffset time, string actor, string action, string subject, IReadOnlyDictionary<string, string?>? details,
        string prev, out string hash)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(prev);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("sequence", sequence);
            writer.WriteString("time", FormatTime(time));
            writer.WriteString("actor", actor);
            writer.WriteString("action", action);
            writer.WriteString("subject", subject);
            writer.WriteStartObject("details");
            if (details is not null)
            {
                foreach (var (key, value) in details.OrderBy(d => d.Key, StringComparer.Ordinal))
                {
                    if (value is null)
                        writer.WriteNull(key);
                    else
                        writer.WriteString(key, value);
                }
            }

            writer.WriteEndObject();
            writer.WriteString("prev", prev);
            writer.WriteEndObject();
        }

        var body = buffer.WrittenSpan;
        hash = Convert.ToHexStringLower(SHA256.HashData(body));
        var line = new byte[body.Length - 1 + HashSuffixLength + 1];
        body[..^1].CopyTo(line);
        var suffix = System.Text.Encoding.ASCII.GetBytes(",\"hash\":\"" + hash + "\"}\n");
        suffix.CopyTo(line.AsSpan(body.Length - 1));
        return line;
    }

    /// <summary>A time as records write it: UTC, to the millisecond.</summary>
    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// The SHA-256 a line (without its <c>\n</c>) must carry in its <c>hash</c> field: of the bytes before
    /// <c>,"hash":</c>, followed by <c>}</c>. Null when the line does not end with a hash field.
    /// </summary>
    public static string? ComputeHash(ReadOnlySpan<byte> line)
    {
        if (line.Length <= HashSuffixLength || !line[^HashSuffixLength..].StartsWith(",\"hash\":\""u8) || !line.EndsWith("\"}"u8))
            return null;
        var body = line[..^HashSuffixLength];
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(body);
        sha.AppendData("}"u8);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>
    /// Reads one stored line (without its <c>\n</c>): a JSON object with exactly the record's fields in their order,
    /// each of its type. Checks the form only, not the hash or the chain (<see cref="AuditVerifier"/> does).
    /// </summary>
    /// <returns>The record, or null with <paramref name="problem"/> saying what is wrong.</returns>
    public static AuditRecord? TryParse(ReadOnlySpan<byte> line, out string? problem)
    {
        try
        {
            return Parse(line, out problem);
        }
        catch (JsonException e)
        {
            problem = "not well-formed JSON: " + e.Message;
            return null;
        }
    }

    private static AuditRecord? Parse(ReadOnlySpan<byte> line, out string? problem)
    {
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return Fail("not a JSON object", out problem);
        long sequence = 0;
        DateTimeOffset time = default;
        string actor = "", action = "", subject = "", prev = "", hash = "";
        var details = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var field in FieldOrder)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals(field))
                return Fail($"field '{field}' expected in its place", out problem);
            reader.Read();
            switch (field)
            {
                case "sequence":
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out sequence) || sequence < 1)
                        return Fail("sequence is not a positive integer", out problem);
                    break;
                case "time":
                    if (reader.TokenType != JsonTokenType.String
                        || !DateTimeOffset.TryParseExact(reader.GetString(), TimeFormat, CultureInfo.InvariantCulture,
                            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time))
                    {
                        return Fail("time is not a UTC instant such as 2026-01-05T14:30:00.123Z", out problem);
                    }

                    break;
                case "details":
                    if (reader.TokenType != JsonTokenType.StartObject)
                        return Fail("details is not an object", out problem);
                    string? previousKey = null;
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var key = reader.GetString()!;
                        if (previousKey is not null && string.CompareOrdinal(previousKey, key) >= 0)
                            return Fail("details keys are not unique and in ordinal order", out problem);
                        previousKey = key;
                        reader.Read();
                        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                            return Fail($"details value '{key}' is not a string", out problem);
                        details[key] = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
                    }

                    if (reader.TokenType != JsonTokenType.EndObject)
                        return Fail("details is not an object of strings", out problem);
                    break;
                default:
                    if (reader.TokenType != JsonTokenType.String)
                        return Fail($"{field} is not a string", out problem);
                    var text = reader.GetString()!;
                    if (field is "prev" or "hash" && !IsHash(text))
                        return Fail($"{field} is not 64 lowercase hex digits", out problem);
                    if (field == "actor")
                        actor = text;
                    else if (field == "action")
                        action = text;
                    else if (field == "subject")
                        subject = text;
                    else if (field == "prev")
                        prev = text;
                    else
                        hash = text;
                    break;
            }
        }

        if (!reader.Read() || reader.TokenType != JsonTokenType.EndObject)
            return Fail("fields after hash", out problem);
        if (reader.BytesConsumed != line.Length)
            return Fail("bytes after the record", out problem);
        problem = null;
        return new AuditRecord(sequence, time, actor, action, subject, details, prev, hash);
    }

    private static bool IsHash(string text) =>
        text.Length == 64 && !text.AsSpan().ContainsAnyExcept("0123456789abcdef");

    private static AuditRecord? Fail(string reason, out string? problem)
    {
        problem = reason;
        return null;
    }
}
