namespace Amlfs.Registry;

/// <summary>
/// Reads a YAML definitions file into a <see cref="RegistryDefinition"/>, checking what the file alone can tell:
/// unknown keys, missing or malformed values, duplicate or unresolved names of entities and views, durations, filters.
/// Every problem is reported at once, each with file, line, field and reason, in one <see cref="DefinitionException"/>.
/// The registry describes; the engine compiles: <c>FeaturePlan.Compile</c> (or <c>FeaturePlan.Load</c>, which reads
/// and compiles) checks windows, fields and expressions, with the lines this reader recorded.
/// </summary>
public static class DefinitionsLoader
{
    /// <summary>File name of the built-in default definitions (the 19 seed features).</summary>
    public const string DefaultFileName = "features.yaml";

    /// <summary>The built-in default definitions file, as text.</summary>
    public static string DefaultText()
    {
        using var stream = typeof(DefinitionsLoader).Assembly.GetManifestResourceStream("Amlfs.Registry.features.yaml")
            ?? throw new InvalidOperationException("the default definitions are not embedded in Amlfs.Core");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The built-in default definitions (valid: a test compiles them).</summary>
    public static RegistryDefinition LoadDefault() => Parse(DefaultText(), DefaultFileName);

    public static RegistryDefinition LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new DefinitionException([new(path, 0, "file", "does not exist")]);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Reads definitions text; <paramref name="file"/> names it in messages.</summary>
    public static RegistryDefinition Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reader = new DefinitionsReader(file);
        var definition = reader.Read(text);
        if (reader.Errors.Count > 0 || definition is null)
            throw new DefinitionException(DefinitionException.InLineOrder(reader.Errors));
        return definition;
    }
}
