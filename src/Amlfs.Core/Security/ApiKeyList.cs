using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Amlfs.Security;

/// <summary>
/// The one definition of what a key store holds and how it changes, shared by every <see cref="IApiKeyStore"/>: the
/// JSON list of records, a new key, and the rules of creating (a valid name, unique among keys that work) and revoking.
/// </summary>
public static class ApiKeyList
{
    private const int IdBytes = 6;
    private const int SecretBytes = 32;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>A new key named <paramref name="name"/>: its record (with the key's hash) and the key itself.</summary>
    /// <exception cref="ArgumentException">The name is not valid.</exception>
    public static CreatedApiKey NewKey(string name, ApiRole role, DateTimeOffset now)
    {
        if (ApiKeyStore.NameProblem(name) is { } problem)
            throw new ArgumentException(problem, nameof(name));
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdBytes));
        var key = ApiKeyStore.Prefix + id + "_" + Base64Url(RandomNumberGenerator.GetBytes(SecretBytes));
        return new CreatedApiKey(new ApiKeyRecord(id, name, role, ApiKeyStore.HashOf(key), now), key);
    }

    /// <summary>The list with <paramref name="record"/> added.</summary>
    /// <exception cref="ArgumentException">A key that works has the same name.</exception>
    public static List<ApiKeyRecord> Added(List<ApiKeyRecord> keys, ApiKeyRecord record)
    {
        if (keys.Any(k => k.IsActive && string.Equals(k.Name, record.Name, StringComparison.Ordinal)))
            throw new ArgumentException($"a key named '{record.Name}' exists: revoke it first or choose another name", "name");
        return [.. keys, record];
    }

    /// <summary>The list with the key that works and has the id or name <paramref name="idOrName"/> revoked at <paramref name="now"/>.</summary>
    /// <exception cref="KeyNotFoundException">No key that works has that id or name.</exception>
    public static List<ApiKeyRecord> Revoked(List<ApiKeyRecord> keys, string idOrName, DateTimeOffset now, out ApiKeyRecord revoked)
    {
        var index = keys.FindIndex(k => k.IsActive && (k.Id == idOrName || k.Name == idOrName));
        if (index < 0)
            throw new KeyNotFoundException($"no key that works has the id or name '{idOrName}' (amlfs keys list shows them)");
        revoked = keys[index] with { RevokedAt = now };
        keys[index] = revoked;
        return keys;
    }

    /// <summary>The stored form of a list.</summary>
    public static byte[] Serialize(IReadOnlyList<ApiKeyRecord> keys) => JsonSerializer.SerializeToUtf8Bytes(keys, Json);

    /// <summary>Reads a stored list; <paramref name="location"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">It is not a key list.</exception>
    public static List<ApiKeyRecord> Parse(ReadOnlySpan<byte> stored, string location)
    {
        List<ApiKeyRecord> keys;
        try
        {
            keys = JsonSerializer.Deserialize<List<ApiKeyRecord>>(stored, Json) ?? throw new InvalidDataException($"{location} holds no key list");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{location} is not a key file: {e.Message}", e);
        }

        foreach (var key in keys)
        {
            if (key.Id is null || key.Name is null || key.Hash is null || key.Hash.Length != 64)
                throw new InvalidDataException($"{location}: a key lacks its id, name or hash");
        }

        return keys;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
