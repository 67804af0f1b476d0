using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amlfs.Learning.Drift;

namespace Amlfs.Learning.Models;

/// <summary>
/// The model versions of a data directory and which one is active:
/// <code>
/// DIR/models/gbt-1/model.txt      LightGBM's own model text (reload, explain, audit)
/// DIR/models/gbt-1/model.json     the manifest (ModelManifest)
/// DIR/models/gbt-1/anomaly.json   the unsupervised model trained with it
/// DIR/models/gbt-1/reference.json the training distributions of its inputs and score, which drift is measured against
/// DIR/models/active.json          the active version and the activations before it
/// DIR/models/reports/gbt-1.html   the newest evaluation report of a version (amlfs evaluate --report)
/// </code>
/// A version is written under a temporary name and renamed into place whole, and <c>active.json</c> is replaced
/// atomically, so a crash never leaves a half version or a pointer to one. Versions are never changed once written;
/// reading one checks each file against the manifest's SHA-256. While nothing is active the rules model scores.
/// </summary>
public sealed class ModelRegistry
{
    public const string ModelFile = "model.txt";
    public const string ManifestFile = "model.json";
    public const string AnomalyFile = "anomaly.json";
    public const string ReferenceFile = "reference.json";
    private const string ActiveFile = "active.json";
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public ModelRegistry(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        Directory = Path.Combine(Path.GetFullPath(dataDirectory), "models");
    }

    /// <summary><c>DIR/models</c>.</summary>
    public string Directory { get; }

    /// <summary>The path of <c>active.json</c>, which a server watches to follow activations.</summary>
    public string ActivationPath => Path.Combine(Directory, ActiveFile);

    /// <summary>Every version, oldest first.</summary>
    public IReadOnlyList<ModelManifest> List()
    {
        if (!System.IO.Directory.Exists(Directory))
            return [];
        return System.IO.Directory.EnumerateDirectories(Directory, ModelKinds.GradientBoostedTrees + "-*")
            .Select(d => (Number: Number(Path.GetFileName(d)), Path: d))
            .Where(d => d.Number > 0 && File.Exists(Path.Combine(d.Path, ManifestFile)))
            .OrderBy(d => d.Number)
            .Select(d => ReadManifest(d.Path))
            .ToArray();
    }

    /// <summary>The manifest of <paramref name="version"/>, or null when there is no such version.</summary>
    public ModelManifest? Find(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var path = VersionDirectory(version);
        return Number(version) > 0 && File.Exists(Path.Combine(path, ManifestFile)) ? ReadManifest(path) : null;
    }

    /// <summary>The activation state; no file means nothing was ever activated (the rules score).</summary>
    public ModelActivation Activation =>
        File.Exists(ActivationPath)
            ? JsonSerializer.Deserialize(File.ReadAllBytes(ActivationPath), ModelRegistryJson.Default.ModelActivation)
                ?? throw new InvalidDataException($"{ActivationPath}: empty")
            : new ModelActivation(null, []);

    /// <summary>
    /// Where the newest evaluation report of <paramref name="version"/> is kept (<c>DIR/models/reports/VERSION.html</c>),
    /// outside the version's own folder, which never changes once written.
    /// </summary>
    public string ReportPath(string version)
    {
        ArgumentException.ThrowIfNullOrEmpty(version);
        return Path.Combine(Directory, "reports", version + ".html");
    }

    /// <summary>The active version, or null when the rules score.</summary>
    public string? ActiveVersion => Activation.Active;

    /// <summary>
    /// Stores a new version: <paramref name="manifest"/> (its version, kind and checksums are set here) with its model
    /// text and, optionally, its anomaly model and the reference distributions drift is measured against. Returns the
    /// stored manifest.
    /// </summary>
    public ModelManifest Add(ModelManifest manifest, string modelText, string? anomalyJson, ReferenceDistribution? reference = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(modelText);
        System.IO.Directory.CreateDirectory(Directory);
        var number = List().Select(m => Number(m.Version)).DefaultIfEmpty(0).Max() + 1;
        var version = ModelKinds.GradientBoostedTrees + "-" + number.ToString(CultureInfo.InvariantCulture);
        var model = Utf8.GetBytes(modelText);
        var anomaly = anomalyJson is null ? null : Utf8.GetBytes(anomalyJson);
        var referenceBytes = reference is null ? null : JsonSerializer.SerializeToUtf8Bytes(reference, ModelRegistryJson.Default.ReferenceDistribution);
        var stored = manifest with
        {
            Version = version,
            Kind = ModelKinds.GradientBoostedTrees,
            ModelSha256 = Sha256(model),
            AnomalySha256 = anomaly is null ? null : Sha256(anomaly),
            ReferenceSha256 = referenceBytes is null ? null : Sha256(referenceBytes),
        };

        var temporary = Path.Combine(Directory, "." + version + "." + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(temporary);
        try
        {
            WriteDurably(Path.Combine(temporary, ModelFile), model);
            if (anomaly is not null)
                WriteDurably(Path.Combine(temporary, AnomalyFile), anomaly);
            if (referenceBytes is not null)
                WriteDurably(Path.Combine(temporary, ReferenceFile), referenceBytes);
            WriteDurably(Path.Combine(temporary, ManifestFile), JsonSerializer.SerializeToUtf8Bytes(stored, ModelRegistryJson.Default.ModelManifest));
            System.IO.Directory.Move(temporary, VersionDirectory(version));
        }
        catch
        {
            if (System.IO.Directory.Exists(temporary))
                System.IO.Directory.Delete(temporary, recursive: true);
            throw;
        }

        return stored;
    }

    /// <summary>The model text of <paramref name="manifest"/>'s version, checked against its SHA-256.</summary>
    /// <exception cref="InvalidDataException">The file differs from what the manifest recorded.</exception>
    public string ModelText(ModelManifest manifest) => ReadVerified(manifest, ModelFile, manifest.ModelSha256)!;

    /// <summary>The anomaly model's JSON of <paramref name="manifest"/>'s version, checked; null when there is none.</summary>
    public string? AnomalyJson(ModelManifest manifest) => ReadVerified(manifest, AnomalyFile, manifest.AnomalySha256);

    /// <summary>
    /// The reference distributions of <paramref name="manifest"/>'s version, checked; null for a version stored without
    /// them (trained before they were stored).
    /// </summary>
    /// <exception cref="InvalidDataException">The file differs from what the manifest recorded, or does not fit the model's inputs.</exception>
    public ReferenceDistribution? Reference(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (ReadVerified(manifest, ReferenceFile, manifest.ReferenceSha256) is not { } json)
            return null;
        var path = Path.Combine(VersionDirectory(manifest.Version), ReferenceFile);
        try
        {
            var reference = JsonSerializer.Deserialize(json, ModelRegistryJson.Default.ReferenceDistribution)
                ?? throw new InvalidDataException($"{path}: empty");
            return reference.ProblemFor(manifest.FeatureNames) is { } problem ? throw new InvalidDataException($"{path}: {problem}") : reference;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Makes <paramref name="version"/> active (null: the rules), recording the activation.</summary>
    /// <exception cref="ArgumentException">No such version.</exception>
    public void Activate(string? version, DateTimeOffset now)
    {
        if (version is not null && Find(version) is null)
            throw new ArgumentException($"no model version '{version}' in {Directory}", nameof(version));
        using var exclusive = Lock();
        var activation = Activation;
        Write(new ModelActivation(version, [.. activation.History, new ModelActivationEntry(version, now)]));
    }

    /// <summary>
    /// Undoes the latest activation not yet rolled back: the version active before it becomes active again (the rules
    /// when there was none). Returns it; the rollback is recorded in the history.
    /// </summary>
    /// <exception cref="InvalidOperationException">No activation is left to roll back.</exception>
    public string? Rollback(DateTimeOffset now)
    {
        using var exclusive = Lock();
        var activation = Activation;
        var stack = activation.Stack();
        if (stack.Count == 0)
            throw new InvalidOperationException("no activation is left to roll back: the rules model is active");
        var previous = stack.Count >= 2 ? stack[^2] : null;
        Write(new ModelActivation(previous, [.. activation.History, new ModelActivationEntry(previous, now, Rollback: true)]));
        return previous;
    }

    /// <summary>
    /// Serializes activations and rollbacks, from any process, on <c>models/.lock</c>: each reads <c>active.json</c>,
    /// adds to its history and replaces it, so two at once would lose one (and collide on the temporary file). A second
    /// one waits up to 10 s.
    /// </summary>
    private FileStream Lock()
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, ".lock");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
        }
    }

    private void Write(ModelActivation activation)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var temporary = ActivationPath + ".tmp";
        WriteDurably(temporary, JsonSerializer.SerializeToUtf8Bytes(activation, ModelRegistryJson.Default.ModelActivation));
        File.Move(temporary, ActivationPath, overwrite: true);
    }

    private string? ReadVerified(ModelManifest manifest, string file, string? sha256)
    {
        if (sha256 is null)
            return null;
        var path = Path.Combine(VersionDirectory(manifest.Version), file);
        var bytes = File.ReadAllBytes(path);
        if (!string.Equals(Sha256(bytes), sha256, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{path}: SHA-256 differs from the one model.json recorded: the file was changed after training");
        return Utf8.GetString(bytes);
    }

    private static ModelManifest ReadManifest(string directory)
    {
        var path = Path.Combine(directory, ManifestFile);
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), ModelRegistryJson.Default.ModelManifest)
                ?? throw new InvalidDataException($"{path}: empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private string VersionDirectory(string version) => Path.Combine(Directory, version);

    private static int Number(string version) =>
        version.StartsWith(ModelKinds.GradientBoostedTrees + "-", StringComparison.Ordinal)
        && int.TryParse(version.AsSpan(ModelKinds.GradientBoostedTrees.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : 0;

    private static void WriteDurably(string path, byte[] bytes)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
