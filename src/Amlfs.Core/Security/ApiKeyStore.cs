using System.Globalization;
using System.Security.Cryptography;
using System.Text;
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
public sealed class ApiKeyStore : ChangeableApiKeyStore
{
    /// <summary>What every key starts with, so that a leaked one is recognisable (secret scanners, logs).</summary>
    public const string Prefix = "amlfs_";

    private const int IdHexDigits = 12;

    public ApiKeyStore(string file, TimeProvider? clock = null)
        : base(clock)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        File = Path.GetFullPath(file);
    }

    /// <summary>The key file.</summary>
    public string File { get; }

    public override string Location => File;

    /// <summary>The key file of a data directory.</summary>
    public static string FileOf(string dataDirectory) => Path.Combine(dataDirectory, "keys", "keys.json");

    /// <inheritdoc/>
    /// <exception cref="InvalidDataException">The file is not a key file.</exception>
    public override IReadOnlyList<ApiKeyRecord> List() => Read(File);

    /// <summary>The file's time and length; a missing file has its own stamp.</summary>
    public override string Stamp()
    {
        var info = new FileInfo(File);
        return info.Exists ? string.Create(CultureInfo.InvariantCulture, $"{info.LastWriteTimeUtc.Ticks}:{info.Length}") : "none";
    }

    /// <summary>Why <paramref name="name"/> cannot name a key, or null: 1 to 64 letters, digits, '.', '-' or '_'.</summary>
    public static string? NameProblem(string? name) =>
        string.IsNullOrEmpty(name) || name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')
            ? $"a key's name is 1 to 64 letters, digits, '.', '-' or '_', got '{name}'"
            : null;

    /// <summary>The public id of a presented key, or null when it is not shaped like one.</summary>
    public static string? IdOf(string presented)
    {
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Length < Prefix.Length + IdHexDigits + 2)
            return null;
        var id = presented.Substring(Prefix.Length, IdHexDigits);
        return presented[Prefix.Length + IdHexDigits] == '_' && id.All(char.IsAsciiHexDigitLower) ? id : null;
    }

    /// <summary>Lower-case hex SHA-256 of a key's UTF-8 bytes.</summary>
    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Whether <paramref name="presented"/> is the key of <paramref name="record"/>, compared in constant time.</summary>
    public static bool Matches(ApiKeyRecord record, string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashOf(presented)), Encoding.ASCII.GetBytes(record.Hash));

    /// <summary>Reads a key file; empty when it does not exist.</summary>
    private static List<ApiKeyRecord> Read(string file)
    {
        byte[] stored;
        try
        {
            stored = ReadAll(file);
        }
        catch (FileNotFoundException)
        {
            return [];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }

        return ApiKeyList.Parse(stored, file);
    }

    private static byte[] ReadAll(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    protected override void Change(Func<List<ApiKeyRecord>, List<ApiKeyRecord>> change)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(File)!);
        using var _ = Lock();
        DurableFile.Replace(File, ApiKeyList.Serialize(change(Read(File))));
    }

    /// <summary>Holds the lock file; another process waits up to 10 s for it.</summary>
    private FileStream Lock() => LockFile.Wait(Path.Combine(Path.GetDirectoryName(File)!, "keys.lock"), TimeSpan.FromSeconds(10), $"the key file {File}");
}
