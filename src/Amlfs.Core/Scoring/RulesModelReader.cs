using System.Globalization;
using Amlfs.Yaml;
using YamlDotNet.RepresentationModel;

namespace Amlfs.Scoring;

/// <summary>
/// Reads the YAML of a <c>risk-model.yaml</c> file over <see cref="RulesModelSettings.Default"/>, collecting every
/// problem as <c>file:line: path: reason</c> instead of stopping at the first, and remembering the line of every value
/// so that <see cref="RulesModelConfig"/> can place validation errors too.
/// </summary>
internal sealed class RulesModelReader(string file)
{
    private static readonly string[] TopKeys = ["version", "weights", "rules", "levels"];
    private static readonly string[] WeightKeys = ["weight", "normalizer"];

    public List<string> Errors { get; } = [];

    /// <summary>The 1-based line of each setting path the file sets.</summary>
    public Dictionary<string, int> Lines { get; } = new(StringComparer.Ordinal);

    public RulesModelSettings Read(string text)
    {
        var settings = RulesModelSettings.Default;
        if (YamlRoot.Load(text, "a YAML mapping with version, weights, rules and levels", out var problem) is not { } root)
        {
            Errors.Add(Where(problem.Line, problem.Path, problem.Message));
            return settings;
        }

        CheckKeys(root, TopKeys, "");
        if (Child(root, "version") is { } version && Scalar(version, "version") is { } versionText)
            settings = Set(settings, "version", "version", version, versionText);
        if (Child(root, "weights") is { } weights)
            settings = settings with { Weights = ReadWeights(weights) };
        settings = ReadSection(root, "rules", RulesModelKeys.Rules, settings);
        return ReadSection(root, "levels", RulesModelKeys.Levels, settings);
    }

    // A weights mapping replaces the whole table, so a deployment can drop a feature by leaving it out.
    private List<FeatureWeight> ReadWeights(YamlNode node)
    {
        var weights = new List<FeatureWeight>();
        if (node is not YamlMappingNode map)
        {
            Errors.Add(Where(node, "weights", "must be a mapping of feature name to {weight, normalizer}"));
            return weights;
        }

        foreach (var (keyNode, valueNode) in map.Children)
        {
            var feature = (keyNode as YamlScalarNode)?.Value ?? "";
            var path = "weights." + feature;
            Lines[path] = (int)keyNode.Start.Line;
            if (valueNode is not YamlMappingNode entry)
            {
                Errors.Add(Where(valueNode, path, "must be a mapping such as {weight: 0.2, normalizer: 5}"));
                continue;
            }

            CheckKeys(entry, WeightKeys, path + ".");
            var weight = Number(entry, "weight", path);
            var normalizer = Number(entry, "normalizer", path);
            if (weight is not null && normalizer is not null)
                weights.Add(new FeatureWeight(feature, weight.Value, normalizer.Value));
        }

        return weights;
    }

    private double? Number(YamlMappingNode entry, string key, string path)
    {
        path += "." + key;
        if (Child(entry, key) is not { } node)
        {
            Errors.Add(Where(entry, path, "is required"));
            return null;
        }

        Lines[path] = (int)node.Start.Line;
        if (Scalar(node, path) is not { } text)
            return null;
        if (RulesModelKeys.TryNumber(text, out var value))
            return value;
        Errors.Add(Where(node, path, $"must be a number such as 3 or 0.25, got '{text}'"));
        return null;
    }

    private RulesModelSettings ReadSection(YamlMappingNode root, string section, string[] keys, RulesModelSettings settings)
    {
        if (Child(root, section) is not { } node)
            return settings;
        if (node is not YamlMappingNode map)
        {
            Errors.Add(Where(node, section, "must be a mapping"));
            return settings;
        }

        CheckKeys(map, keys, section + ".");
        foreach (var key in keys)
        {
            var path = section + "." + key;
            if (Child(map, key) is { } value && Scalar(value, path) is { } text)
                settings = Set(settings, key, path, value, text);
        }

        return settings;
    }

    private RulesModelSettings Set(RulesModelSettings settings, string key, string path, YamlNode node, string text)
    {
        Lines[path] = (int)node.Start.Line;
        var (updated, error) = RulesModelKeys.With(settings, key, text);
        if (error is not null)
            Errors.Add(Where(node, path, error));
        return updated ?? settings;
    }

    private string? Scalar(YamlNode node, string path)
    {
        if (node is YamlScalarNode scalar)
            return scalar.Value ?? "";
        Errors.Add(Where(node, path, "must be a single value"));
        return null;
    }

    private void CheckKeys(YamlMappingNode node, string[] known, string path)
    {
        foreach (var key in node.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "?";
            if (!known.Contains(name))
                Errors.Add(Where(key, path + name, $"unknown key (known: {string.Join(", ", known)})"));
        }
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private string Where(YamlNode node, string path, string message) => Where((int)node.Start.Line, path, message);

    private string Where(int line, string path, string message) =>
        string.Create(CultureInfo.InvariantCulture, $"{file}:{line}: {path}: {message}");
}
