using System.Security.Cryptography;
using Amlfs.Privacy;
using Amlfs.Storage;

namespace Amlfs.Security;

/// <summary>
/// Finds the key of the <see cref="Pseudonymizer"/>: the configured one when there is one (the environment variable
/// <see cref="EnvironmentVariable"/>, or an option that gives the same base64 text), else the data directory's key file
/// <c>DATA/keys/pseudonym.key</c>, made on first use. The configured key wins, so that every process of a deployment
/// (a server, Kafka workers on other hosts, the CLI) can be given one key and produce the same pseudonyms.
/// </summary>
/// <remarks>
/// The file holds the key as base64 text and a newline, readable by its owner only (mode 0600 on Unix). It is made
/// under a lock file beside it (<c>pseudonym.key.lock</c>, opened exclusively): the first thread or process to take the
/// lock writes 32 random bytes to a temporary file, fsyncs it and renames it to the final name, and the others, once
/// they hold the lock, find the file and read it. So two threads or processes starting at once never use two different
/// keys. (<see cref="File.Move(string, string, bool)"/> without overwrite cannot do this alone: on Unix it looks for
/// the destination and then renames, and two callers can both find it missing.)
/// </remarks>
public static class PseudonymKey
{
    /// <summary>The environment variable that gives the key as base64 (at least 32 bytes once decoded).</summary>
    public const string EnvironmentVariable = "AMLFS_PSEUDONYM_KEY";

    /// <summary>The key file of the data directory <paramref name="dataDirectory"/>.</summary>
    public static string FileOf(string dataDirectory) => Path.Combine(dataDirectory, "keys", "pseudonym.key");

    /// <summary>
    /// The pseudonymizer of <paramref name="configured"/> (base64, from <paramref name="setting"/>) when it is given, else
    /// of the key file of <paramref name="dataDirectory"/>, created when missing.
    /// </summary>
    /// <exception cref="ArgumentException">The configured key is not base64 of at least 32 bytes; the message names <paramref name="setting"/>.</exception>
    /// <exception cref="InvalidDataException">The key file holds no usable key.</exception>
    public static Pseudonymizer Resolve(string dataDirectory, string? configured, string setting = EnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        return string.IsNullOrWhiteSpace(configured)
            ? new Pseudonymizer(LoadOrCreate(FileOf(dataDirectory))) { Source = FileOf(dataDirectory) }
            : new Pseudonymizer(Parse(configured, setting)) { Source = setting };
    }

    /// <summary>The pseudonymizer the environment's <see cref="EnvironmentVariable"/> gives, else the data directory's key file.</summary>
    public static Pseudonymizer Resolve(string dataDirectory) =>
        Resolve(dataDirectory, Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>The key in <paramref name="base64"/>; the error names <paramref name="setting"/>, never the value.</summary>
    public static byte[] Parse(string base64, string setting)
    {
        ArgumentNullException.ThrowIfNull(base64);
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new ArgumentException($"{setting}: the pseudonym key must be base64 (e.g. from `openssl rand -base64 32`)");
        }

        if (key.Length < Pseudonymizer.KeyBytes)
            throw new ArgumentException($"{setting}: the pseudonym key must have at least {Pseudonymizer.KeyBytes} bytes, got {key.Length}");
        return key;
    }

    /// <summary>The key held in <paramref name="path"/>, which is created with a new random key when it does not exist.</summary>
    public static byte[] LoadOrCreate(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path))
            return Read(path);

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        using (LockFile.Wait(path + ".lock", TimeSpan.FromSeconds(10), $"the pseudonym key {path}"))
        {
            // Whoever held the lock before may have made the key: use it, never a second one.
            if (File.Exists(path))
                return Read(path);
            var text = System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(Pseudonymizer.KeyBytes)) + "\n");
            DurableFile.Replace(path, text, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            DirectorySync.Flush(directory);
        }

        return Read(path);
    }

    private static byte[] Read(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path), path);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }
}
