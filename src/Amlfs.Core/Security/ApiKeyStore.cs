using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amlfs.Storage;

namespace Amlfs.Security;

/// <summary>
/// The API keys of a data directory (<c>DATA/keys/keys.json</c>) or of a key file shared by replicas: created, listed,
/// revoked and checked. The file holds each key's SHA-256, never the key.
/// <para>
/// Several processes use one file: the server reads it, <c>amlfs keys</c> changes it while the server runs. A change
/// takes a lock file (<c>keys.lock</c>, opened exclusively), reads the file again, and replaces it whole through a
/// temporary file and a rename, so that a reader sees the old file or the new one, never half of either. A reader
/// notices a change by the file's time and length (<see cref="ApiKeyRing"/>).
/// </para>
/// <para>
/// A key is <c>amlfs_</c>, a 12-hex-digit id, <c>_</c>, and 32 random bytes in base64url. With 256 random bits a single
/// fast hash is enough (no dictionary or brute force reaches them), so a check costs a lookup and one SHA-256.
/// </para>
/// </summary>
public sealed class ApiKeyStore
{
    /// <summary>What every key starts with, so that a leaked one is recognisable (secret scanners, logs).</summary>
    public const string Prefix = "amlfs_";

    private const int IdBytes = 6;
    private const int SecretBytes = 32;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly TimeProvider _clock;

    public ApiKeyStore(string file, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        File = Path.GetFullPath(file);
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The key file.</summary>
    public string File { get; }

    /// <summary>The key file of a data directory.</summary>
    public static string FileOf(string dataDirectory) => Path.Combine(dataDirectory, "keys", "keys.json");

    /// <summary>Every key, revoked ones included, oldest first; empty when the file does not exist.</summary>
    /// <exception cref="InvalidDataException">The file is not a key file.</exception>
    public IReadOnlyList<ApiKeyRecord> List() => Read(File);

    /// <summary>Creates a key named <paramref name="name"/> with <paramref name="role"/>.</summary>
    /// <exception cref="ArgumentException">The name is not valid or another key not revoked has it.</exception>
    public CreatedApiKey Create(string name, ApiRole role)
    {
        if (NameProblem(name) is { } problem)
            throw new ArgumentException(problem, nameof(name));
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdBytes));
        var key = Prefix + id + "_" + Base64Url(RandomNumberGenerator.GetBytes(SecretBytes));
        var record = new ApiKeyRecord(id, name, role, HashOf(key), _clock.GetUtcNow());
        Change(keys =>
        {
            if (keys.Any(k => k.IsActive && string.Equals(k.Name, name, StringComparison.Ordinal)))
                throw new ArgumentException($"a key named '{name}' exists: revoke it first or choose another name", nameof(name));
            return [.. keys, record];
        });
        return new CreatedApiKey(record, key);
    }

    /// <summary>Revokes the key whose id or name is <paramref name="idOrName"/>; returns its record.</summary>
    /// <exception cref="KeyNotFoundException">No key not revoked has that id or name.</exception>
    public ApiKeyRecord Revoke(string idOrName)
    {
        ArgumentException.ThrowIfNullOrEmpty(idOrName);
        ApiKeyRecord? revoked = null;
        Change(keys =>
        {
            var index = keys.FindIndex(k => k.IsActive && (k.Id == idOrName || k.Name == idOrName));
            if (index < 0)
                throw new KeyNotFoundException($"no key that works has the id or name '{idOrName}' (amlfs keys list shows them)");
            revoked = keys[index] with { RevokedAt = _clock.GetUtcNow() };
            keys[index] = revoked;
            return keys;
        });
        return revoked!;
    }

    /// <summary>Why <paramref name="name"/> cannot name a key, or null: 1 to 64 letters, digits, '.', '-' or '_'.</summary>
    public static string? NameProblem(string? name) =>
        string.IsNullOrEmpty(name) || name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')
            ? $"a key's name is 1 to 64 letters, digits, '.', '-' or '_', got '{name}'"
            : null;

    /// <summary>The public id of a presented key, or null when it is not shaped like one.</summary>
    public static string? IdOf(string presented)
    {
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Length < Prefix.Length + (IdBytes * 2) + 2)
            return null;
        var id = presented.Substring(Prefix.Length, IdBytes * 2);
        return presented[Prefix.Length + (IdBytes * 2)] == '_' && id.All(char.IsAsciiHexDigitLower) ? id : null;
    }

    /// <summary>Lower-case hex SHA-256 of a key's UTF-8 bytes.</summary>
    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Whether <paramref name="presented"/> is the key of <paramref name="record"/>, compared in constant time.</summary>
    public static bool Matches(ApiKeyRecord record, string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashOf(presented)), Encoding.ASCII.GetBytes(record.Hash));

    /// <summary>Reads a key file; empty when it does not exist.</summary>
    internal static IReadOnlyList<ApiKeyRecord> Read(string file)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var keys = JsonSerializer.Deserialize<List<ApiKeyRecord>>(stream, Json)
                ?? throw new InvalidDataException($"{file} holds no key list");
            foreach (var key in keys)
            {
                if (key.Id is null || key.Name is null || key.Hash is null || key.Hash.Length != 64)
                    throw new InvalidDataException($"{file}: a key lacks its id, name or hash");
            }

            return keys;
        }
        catch (FileNotFoundException)
        {
            return [];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file} is not a key file: {e.Message}", e);
        }
    }

    private void Change(Func<List<ApiKeyRecord>, List<ApiKeyRecord>> change)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(File)!);
        using var _ = Lock();
        var keys = change([.. Read(File)]);
        var temporary = File + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, keys, Json);
            stream.Flush(flushToDisk: true);
        }

        System.IO.File.Move(temporary, File, overwrite: true);
    }

    /// <summary>Holds the lock file; another process waits up to 10 s for it.</summary>
    private FileStream Lock() => LockFile.Wait(Path.Combine(Path.GetDirectoryName(File)!, "keys.lock"), TimeSpan.FromSeconds(10), $"the key file {File}");

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
