using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amlfs.Engine;
using Amlfs.Registry;

namespace Amlfs.Storage;

/// <summary>
/// The versioned feature registry of a data directory. <c>DIR/registry/</c> holds the text of every applied version
/// verbatim (<c>v0001.yaml</c>, <c>v0002.yaml</c>, ...) and <c>index.json</c>, which lists them (number, applied-at UTC
/// time, source file name, SHA-256 of the text, feature count). The active version is the newest; while nothing has
/// been applied it is the built-in default file, as version 0.
/// <para>
/// Writes are atomic: each file is written to a temporary name, flushed and renamed over its final name, the version
/// text before the index, so a crash leaves either the old index or the new one, never a version that the index names
/// but that is not on disk. Concurrent <see cref="Apply"/> calls, from any process, are serialized by an exclusive lock
/// on <c>registry/.lock</c>; a second apply while one is running fails instead of waiting.
/// </para>
/// </summary>
public sealed class RegistryStore
{
    /// <summary>The data directory used when none is given: <c>data</c>, relative to the working directory.</summary>
    public const string DefaultDataDirectory = "data";

    private const string IndexFileName = "index.json";
    private const string LockFileName = ".lock";
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public RegistryStore(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        RegistryDirectory = Path.Combine(Path.GetFullPath(dataDirectory), "registry");
    }

    /// <summary>The directory holding the versions and the index: <c>DIR/registry</c>.</summary>
    public string RegistryDirectory { get; }

    /// <summary>Every stored version, oldest first; empty when nothing was applied.</summary>
    public IReadOnlyList<RegistryVersionInfo> Versions => ReadIndex();

    /// <summary>The active version: the newest stored one, or the built-in default as version 0.</summary>
    /// <exception cref="InvalidDataException">The index or the active version's file is missing or damaged.</exception>
    public RegistryVersion Active => ReadIndex() is [.., var newest] ? Load(newest) : BuiltIn();

    /// <summary>A version by number (0 is the built-in default).</summary>
    public RegistryVersion Version(int number) => number == 0 ? BuiltIn() : Load(Info(number));

    /// <summary>The definitions text of a version, exactly as it was applied (0 is the built-in default file).</summary>
    public string Text(int number) => number == 0 ? DefinitionsLoader.DefaultText() : ReadVerified(Info(number));

    /// <summary>
    /// Validates <paramref name="text"/> and, when it differs from the active version, stores it as the next version.
    /// Applying definitions equal to the active ones stores nothing and leaves the active version as it is.
    /// </summary>
    /// <param name="text">The definitions file's text; stored verbatim.</param>
    /// <param name="fileName">Names the file in validation errors and is recorded as the version's source.</param>
    /// <param name="now">The applied-at time recorded for a new version.</param>
    /// <exception cref="DefinitionException">The definitions are invalid; nothing is stored.</exception>
    public RegistryApplyResult Apply(string text, string fileName, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        // Only definitions that compile are stored: the registry describes, the engine's compiler validates.
        var definition = FeaturePlan.Load(text, fileName).Definition;

        // Compare without the lock first, so that applying unchanged definitions writes nothing, not even the lock file;
        // then compare again under the lock, since another apply may have stored a version in between.
        var (versions, previous, diff) = Compare(definition);
        if (diff.IsEmpty)
            return new RegistryApplyResult(previous, previous, diff);
        Directory.CreateDirectory(RegistryDirectory);
        using var exclusive = Lock();
        (versions, previous, diff) = Compare(definition);
        if (diff.IsEmpty)
            return new RegistryApplyResult(previous, previous, diff);

        var bytes = Utf8.GetBytes(text);
        var info = new RegistryVersionInfo(
            previous.Number + 1, now.ToUniversalTime(), fileName, Sha256(bytes), definition.AllFeatures.Count());
        DurableFile.Replace(VersionPath(info.Version), bytes);
        var index = new RegistryIndex([.. versions, info]);
        DurableFile.Replace(IndexPath, JsonSerializer.SerializeToUtf8Bytes(index, RegistryIndexJson.Default.RegistryIndex));
        return new RegistryApplyResult(previous, new RegistryVersion(info.Version, definition, info), diff);
    }

    private string IndexPath => Path.Combine(RegistryDirectory, IndexFileName);

    private string VersionPath(int number) =>
        Path.Combine(RegistryDirectory, string.Create(CultureInfo.InvariantCulture, $"v{number:D4}.yaml"));

    private (List<RegistryVersionInfo> Versions, RegistryVersion Active, RegistryDiff Diff) Compare(RegistryDefinition definition)
    {
        var versions = ReadIndex();
        var active = versions is [.., var newest] ? Load(newest) : BuiltIn();
        return (versions, active, RegistryDiff.Between(active.Definition, definition));
    }

    private static RegistryVersion BuiltIn() => new(0, DefinitionsLoader.LoadDefault(), null);

    private RegistryVersionInfo Info(int number) =>
        ReadIndex().FirstOrDefault(v => v.Version == number)
        ?? throw new ArgumentOutOfRangeException(nameof(number), number, $"registry version {number} does not exist in {RegistryDirectory}");

    private RegistryVersion Load(RegistryVersionInfo info) =>
        new(info.Version, FeaturePlan.Load(ReadVerified(info), VersionPath(info.Version)).Definition, info);

    private string ReadVerified(RegistryVersionInfo info)
    {
        var path = VersionPath(info.Version);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"registry version {info.Version} cannot be read from {path}: {e.Message}", e);
        }

        if (!string.Equals(Sha256(bytes), info.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{path} does not match the SHA-256 recorded in {IndexPath}: the file was modified");
        return Utf8.GetString(bytes);
    }

    private List<RegistryVersionInfo> ReadIndex()
    {
        if (!File.Exists(IndexPath))
            return [];
        RegistryIndex? index;
        try
        {
            index = JsonSerializer.Deserialize(File.ReadAllBytes(IndexPath), RegistryIndexJson.Default.RegistryIndex);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{IndexPath} is not a valid registry index: {e.Message}", e);
        }

        var versions = index?.Versions?.ToList() ?? [];
        for (var i = 0; i < versions.Count; i++)
        {
            if (versions[i] is not { Version: var n, SourceFile: not null, Sha256: not null } || n != i + 1)
                throw new InvalidDataException($"{IndexPath} is damaged: entry {i + 1} is not version {i + 1}");
        }

        return versions;
    }

    private FileStream Lock()
    {
        var path = Path.Combine(RegistryDirectory, LockFileName);
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"the registry in {RegistryDirectory} is being changed by another apply; try again", e);
        }
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
