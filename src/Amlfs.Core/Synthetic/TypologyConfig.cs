namespace Amlfs.Synthetic;

/// <summary>
/// Loads <see cref="TypologySettings"/> from a typologies file: a YAML mapping from typology name to its rate and
/// shape ranges (the built-in <c>typologies.yaml</c>, embedded in the core, documents every key). A file sets only
/// what it changes; everything it leaves out keeps the built-in default. Every problem is reported at once in a
/// <see cref="TypologyConfigException"/>, each naming the file, the line and the key.
/// </summary>
public static class TypologyConfig
{
    /// <summary>File name of the built-in default settings.</summary>
    public const string DefaultFileName = "typologies.yaml";

    /// <summary>The built-in default settings file, as text.</summary>
    public static string DefaultText()
    {
        using var stream = typeof(TypologyConfig).Assembly.GetManifestResourceStream("Amlfs.Synthetic.typologies.yaml")
            ?? throw new InvalidOperationException("the default typology settings are not embedded in Amlfs.Core");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The keys the section of <paramref name="typology"/> (one of <c>Typologies.All</c>) may set.</summary>
    public static IReadOnlyList<string> KeysOf(string typology) => TypologyKeys.Of(typology);

    /// <summary>Reads and validates a typologies file over the built-in defaults.</summary>
    /// <exception cref="TypologyConfigException">The file does not exist or has problems.</exception>
    public static TypologySettings LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new TypologyConfigException([$"{path}: does not exist"]);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TypologyConfigException([$"{path}: cannot be read: {e.Message}"]);
        }

        return Parse(text, path);
    }

    /// <summary>As <see cref="LoadFile"/>, for the text of a file; <paramref name="file"/> names it in messages.</summary>
    public static TypologySettings Parse(string text, string file) => Parse(text, file, TypologySettings.Default, out _);

    /// <summary>
    /// The built-in settings, read over nothing: the default file sets every key of every typology, which
    /// <paramref name="lines"/> (the line of each <c>typology.key</c>) lets a test confirm.
    /// </summary>
    internal static TypologySettings LoadDefault(out IReadOnlyDictionary<string, int> lines) =>
        Parse(DefaultText(), DefaultFileName, TypologySettings.Empty, out lines);

    internal static TypologySettings LoadDefault() => LoadDefault(out _);

    private static TypologySettings Parse(
        string text, string file, TypologySettings baseline, out IReadOnlyDictionary<string, int> lines)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(file);
        var reader = new TypologyConfigReader(file);
        var settings = reader.Read(text, baseline);
        var errors = reader.Errors;
        foreach (var (path, message) in settings.Problems())
        {
            // A value the file did not set comes from the baseline, which is valid unless this is the default file.
            var where = reader.Lines.TryGetValue(path, out var line) ? $"{file}:{line}" : file;
            errors.Add($"{where}: {path}: {message}");
        }

        if (errors.Count > 0)
            throw new TypologyConfigException(errors);
        lines = reader.Lines;
        return settings;
    }
}
