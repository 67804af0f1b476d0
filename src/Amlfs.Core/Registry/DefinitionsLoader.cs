using Amlfs.Engine;

namespace Amlfs.Registry;

/// <summary>
/// Reads a YAML definitions file into a <see cref="RegistryDefinition"/> and validates it completely: unknown keys,
/// missing or malformed values, unresolved names, invalid windows and expressions. Every problem is reported at once,
/// each with file, line, field and reason, in one <see cref="DefinitionException"/>.
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

    /// <summary>The built-in default definitions.</summary>
    public static RegistryDefinition LoadDefault() => Parse(DefaultText(), DefaultFileName);

    public static RegistryDefinition LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new DefinitionException([new(path, 0, "file", "does not exist")]);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses and validates definitions text; <paramref name="file"/> names it in messages.</summary>
    public static RegistryDefinition Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reader = new DefinitionsReader(file);
        var definition = reader.Read(text);
        if (reader.Errors.Count > 0 || definition is null)
            throw new DefinitionException(InLineOrder(reader.Errors));
        try
        {
            FeaturePlan.Compile(definition, file);
        }
        catch (DefinitionException e)
        {
            // The plan knows names, not lines: give settings and entities the line that declares them.
            throw new DefinitionException(InLineOrder(
                e.Errors.Select(x => x.Line == 0 && reader.Lines.TryGetValue(x.Field, out var line) ? x with { Line = line } : x)));
        }

        return definition;
    }

    // Errors read top to bottom like the file (the sort is stable); errors without a line come last.
    private static List<DefinitionError> InLineOrder(IEnumerable<DefinitionError> errors) =>
        errors.OrderBy(e => e.Line == 0 ? int.MaxValue : e.Line).ToList();
}
