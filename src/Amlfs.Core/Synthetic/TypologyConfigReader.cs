using System.Globalization;
using Amlfs.OfflineStore;
using Amlfs.Yaml;
using YamlDotNet.RepresentationModel;

namespace Amlfs.Synthetic;

/// <summary>
/// Reads the YAML of a typologies file over a baseline, collecting every problem as <c>file:line: path: reason</c>
/// instead of stopping at the first, and remembering the line of every value it sets so that the limits checked
/// afterwards (<see cref="TypologySettings.Problems"/>) can be placed too.
/// </summary>
internal sealed class TypologyConfigReader(string file)
{
    public List<string> Errors { get; } = [];

    /// <summary>The 1-based line of each <c>typology.key</c> the file sets.</summary>
    public Dictionary<string, int> Lines { get; } = new(StringComparer.Ordinal);

    public TypologySettings Read(string text, TypologySettings baseline)
    {
        if (YamlRoot.Load(text, "a YAML mapping from typology name to its settings", out var problem) is not { } root)
        {
            Errors.Add(Where(problem.Line, problem.Path, problem.Message));
            return baseline;
        }

        var settings = baseline;
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var typology = (keyNode as YamlScalarNode)?.Value ?? "?";
            if (!Typologies.All.Contains(typology))
            {
                Errors.Add(Where(keyNode, typology, $"unknown typology (known: {string.Join(", ", Typologies.All)})"));
                continue;
            }

            if (valueNode is not YamlMappingNode section)
            {
                Errors.Add(Where(valueNode, typology, "must be a mapping of its settings, such as {rate: 0.5}"));
                continue;
            }

            settings = settings.With(typology, ReadSection(typology, section, settings[typology]));
        }

        return settings;
    }

    private TypologyShape ReadSection(string typology, YamlMappingNode section, TypologyShape shape)
    {
        var known = TypologyKeys.Of(typology);
        foreach (var (keyNode, valueNode) in section.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "?";
            var path = typology + "." + key;
            if (!known.Contains(key))
            {
                Errors.Add(Where(keyNode, path, $"unknown key (known: {string.Join(", ", known)})"));
                continue;
            }

            Lines[path] = (int)valueNode.Start.Line;
            if (Values(valueNode) is not { } values)
            {
                Errors.Add(Where(valueNode, path, "must be a value or a range [min, max]"));
                continue;
            }

            var (updated, error) = TypologyKeys.With(shape, key, values);
            if (error is not null)
                Errors.Add(Where(valueNode, path, error));
            shape = updated ?? shape;
        }

        return shape;
    }

    // A scalar, or a sequence of scalars; anything nested deeper is not a value of this file.
    private static string[]? Values(YamlNode node) => node switch
    {
        YamlScalarNode scalar => [scalar.Value ?? ""],
        YamlSequenceNode sequence when sequence.Children.All(c => c is YamlScalarNode) =>
            sequence.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToArray(),
        _ => null,
    };

    private string Where(YamlNode node, string path, string message) => Where((int)node.Start.Line, path, message);

    private string Where(int line, string path, string message) =>
        string.Create(CultureInfo.InvariantCulture, $"{file}:{line}: {path}: {message}");
}
