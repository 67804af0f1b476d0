using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Amlfs.Yaml;

/// <summary>
/// Reads the mappings, lists and scalars of one YAML settings file and collects every problem at the line of the node
/// it concerns, with the path of its key (<see cref="YamlProblem"/>), so that a reader reports every problem of the file
/// in one run instead of stopping at the first. The definitions file and the alerts file are read through it; each
/// reader keeps the rules of its own keys and turns the problems into its errors (<c>file:line: key: reason</c>).
/// </summary>
/// <param name="emptyIsAbsent">
/// Whether an empty value (<c>key:</c>) counts as absent, and is an error ("must not be empty") where the key is
/// required; otherwise it reads as the empty string.
/// </param>
internal sealed class YamlFileReader(bool emptyIsAbsent)
{
    /// <summary>Every problem found so far, in the order found.</summary>
    public List<YamlProblem> Problems { get; } = [];

    /// <summary>The root mapping, or null with the one problem that stops reading (see <see cref="YamlRoot"/>).</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="expected">What the root must be, for the message, such as "a YAML mapping with rules".</param>
    public YamlMappingNode? Root(string text, string expected)
    {
        var root = YamlRoot.Load(text, expected, out var problem);
        if (root is null)
            Problems.Add(new(problem.Line, problem.Path, problem.Message));
        return root;
    }

    /// <summary>The value of <paramref name="key"/> in <paramref name="node"/>, or null when the key is absent.</summary>
    public static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    /// <summary>
    /// The value of <paramref name="key"/>, or null when it is absent (an error when <paramref name="required"/>) or is
    /// not a single value (an error). <paramref name="path"/> prefixes the key in errors, such as <c>rules[2].</c>.
    /// </summary>
    public string? Scalar(YamlMappingNode node, string key, string path, bool required = false)
    {
        var child = Given(node, key, path, required);
        if (child is null)
            return null;
        if (child is not YamlScalarNode scalar)
        {
            Error(child, path + key, "must be a single value");
            return null;
        }

        if (!emptyIsAbsent || !string.IsNullOrEmpty(scalar.Value))
            return scalar.Value;
        if (required)
            Error(child, path + key, "must not be empty");
        return null;
    }

    /// <summary>
    /// The mappings of the list at <paramref name="key"/>, each with its path for errors (<c>rules[2].</c>). A missing
    /// list is an error when <paramref name="required"/>; an empty value is an empty list unless it is required; any
    /// other value, and an item that is not a mapping, is an error.
    /// </summary>
    public IEnumerable<(YamlMappingNode Node, string Path)> Sequence(YamlMappingNode node, string key, string path, bool required)
    {
        var child = Given(node, key, path, required);
        if (child is null)
            yield break;
        if (child is not YamlSequenceNode seq)
        {
            if (child is not YamlScalarNode { Value: null or "" } || required)
                Error(child, path + key, "must be a list");
            yield break;
        }

        for (var i = 0; i < seq.Children.Count; i++)
        {
            if (seq.Children[i] is YamlMappingNode map)
                yield return (map, string.Create(CultureInfo.InvariantCulture, $"{path}{key}[{i}]."));
            else
                Error(seq.Children[i], string.Create(CultureInfo.InvariantCulture, $"{path}{key}[{i}]"), "must be a mapping");
        }
    }

    /// <summary>Reports every key of <paramref name="node"/> that is not <paramref name="known"/> (for a <paramref name="kind"/> of item, when given).</summary>
    public void CheckKeys(YamlMappingNode node, string[] known, string path, string? kind = null)
    {
        foreach (var key in node.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "?";
            if (!known.Contains(name))
            {
                var what = kind is null ? "unknown key" : $"unknown key for {kind}";
                Error(key, path + name, $"{what} (known: {string.Join(", ", known)})");
            }
        }
    }

    /// <summary>Adds a problem at the line of <paramref name="node"/>.</summary>
    public void Error(YamlNode node, string path, string message) =>
        Problems.Add(new((int)node.Start.Line, path, message));

    /// <summary>The value of <paramref name="key"/>, or null when it is absent (an error when <paramref name="required"/>).</summary>
    private YamlNode? Given(YamlMappingNode node, string key, string path, bool required)
    {
        var child = Child(node, key);
        if (child is null && required)
            Error(node, path + key, "is required");
        return child;
    }
}
