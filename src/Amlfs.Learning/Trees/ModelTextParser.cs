using System.Globalization;

namespace Amlfs.Learning.Trees;

/// <summary>
/// Reads LightGBM's model text into a <see cref="TreeEnsemble"/>: the header (<c>max_feature_idx</c>,
/// <c>feature_names</c>, <c>objective</c>), then one <c>Tree=</c> section per tree up to <c>end of trees</c>; what
/// follows (feature importances, parameters) is not needed to evaluate the model.
/// </summary>
internal static class ModelTextParser
{
    private const string EndOfTrees = "end of trees";
    private const string TreePrefix = "Tree=";

    internal static TreeEnsemble Parse(string modelText)
    {
        ArgumentNullException.ThrowIfNull(modelText);
        var lines = modelText.Split('\n');
        if (lines[0].TrimEnd('\r') != "tree")
        {
            throw new FormatException("LightGBM model text starts with the line 'tree'.");
        }

        var next = 1;
        var header = ReadSection(lines, ref next);
        if (header.ContainsKey("average_output"))
        {
            throw new NotSupportedException("The model averages its trees' outputs (random forest); TreeEnsemble sums them, as gradient boosting does.");
        }

        RequireOne(header, "num_class");
        RequireOne(header, "num_tree_per_iteration");
        var featureCount = ParseInt(Required(header, "max_feature_idx", "the header"), "max_feature_idx") + 1;
        if (featureCount <= 0)
        {
            throw new FormatException($"max_feature_idx is {featureCount - 1}.");
        }

        var featureNames = header.TryGetValue("feature_names", out var names)
            ? names.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : Enumerable.Range(0, featureCount).Select(i => $"Column_{i}").ToArray();
        if (featureNames.Length != featureCount)
        {
            throw new FormatException($"The header names {featureNames.Length} features; max_feature_idx says {featureCount}.");
        }

        var builder = new Builder(featureCount);
        while (next < lines.Length && lines[next].StartsWith(TreePrefix, StringComparison.Ordinal))
        {
            var tree = ParseInt(lines[next].TrimEnd('\r')[TreePrefix.Length..], "Tree");
            if (tree != builder.TreeCount)
            {
                throw new FormatException($"Tree={tree} follows {builder.TreeCount} trees.");
            }

            next++;
            builder.Add(tree, ReadSection(lines, ref next));
        }

        if (next >= lines.Length || lines[next].TrimEnd('\r') != EndOfTrees)
        {
            throw new FormatException($"The trees of LightGBM model text end with the line '{EndOfTrees}'.");
        }

        return builder.Build(featureNames, header.GetValueOrDefault("objective", ""));
    }

    /// <summary>Reads <c>key=value</c> lines up to the next tree section or the end of the trees.</summary>
    private static Dictionary<string, string> ReadSection(string[] lines, ref int next)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        for (; next < lines.Length; next++)
        {
            var line = lines[next].TrimEnd('\r');
            if (line.StartsWith(TreePrefix, StringComparison.Ordinal) || line == EndOfTrees)
            {
                break;
            }

            if (line.Length == 0)
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                fields[line] = "";
            }
            else
            {
                fields[line[..equals]] = line[(equals + 1)..];
            }
        }

        return fields;
    }

    private static void RequireOne(Dictionary<string, string> header, string key)
    {
        if (header.TryGetValue(key, out var value) && ParseInt(value, key) != 1)
        {
            throw new NotSupportedException($"The model has {key}={value}; TreeEnsemble reads single-output models (binary or regression) only.");
        }
    }

    private static string Required(Dictionary<string, string> fields, string key, string where) =>
        fields.TryGetValue(key, out var value) ? value : throw new FormatException($"LightGBM model text lacks {key} in {where}.");

    private static int ParseInt(string text, string key) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{key}: '{text}' is not an integer.");

    private static double ParseDouble(string text, string key) => text switch
    {
        // LightGBM writes doubles with {:.17g}, which spells the non-finite ones this way.
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        "nan" or "-nan" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{key}: '{text}' is not a number."),
    };

    private static T[] ParseArray<T>(Dictionary<string, string> fields, string key, int count, int tree, Func<string, string, T> parse)
    {
        var items = Required(fields, key, $"tree {tree}").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (items.Length != count)
        {
            throw new FormatException($"Tree {tree}: {key} has {items.Length} values, not {count}.");
        }

        var values = new T[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = parse(items[i], key);
        }

        return values;
    }

    /// <summary>Concatenates the trees' nodes and leaves, rewriting each tree's child indexes into global ones.</summary>
    private sealed class Builder(int featureCount)
    {
        private readonly List<int> _roots = [];
        private readonly List<int> _leafOffsets = [0];
        private readonly List<int> _splitFeatures = [];
        private readonly List<double> _thresholds = [];
        private readonly List<byte> _decisionTypes = [];
        private readonly List<int> _leftChildren = [];
        private readonly List<int> _rightChildren = [];
        private readonly List<double> _nodeCovers = [];
        private readonly List<double> _leafValues = [];
        private readonly List<double> _leafCovers = [];
        private int _maxDepth;

        public int TreeCount => _roots.Count;

        public void Add(int tree, Dictionary<string, string> fields)
        {
            var leaves = ParseInt(Required(fields, "num_leaves", $"tree {tree}"), "num_leaves");
            if (leaves < 1)
            {
                throw new FormatException($"Tree {tree} has num_leaves={leaves}.");
            }

            if (fields.TryGetValue("num_cat", out var categories) && ParseInt(categories, "num_cat") > 0)
            {
                throw new NotSupportedException(
                    $"Tree {tree} has {categories} categorical splits; TreeEnsemble reads numerical splits only. Train without categorical_feature, or encode the categories as numbers.");
            }

            if (fields.TryGetValue("is_linear", out var linear) && linear != "0")
            {
                throw new NotSupportedException($"Tree {tree} is a linear tree (linear_tree=true); TreeEnsemble reads constant leaves only.");
            }

            var leafValues = ParseArray(fields, "leaf_value", leaves, tree, ParseDouble);
            var nodeOffset = _splitFeatures.Count;
            var leafOffset = _leafValues.Count;
            if (leaves == 1)
            {
                // A tree that never split: its only leaf is its root, and its cover is never read.
                _roots.Add(~leafOffset);
                _leafValues.Add(leafValues[0]);
                _leafCovers.Add(0);
                _leafOffsets.Add(_leafValues.Count);
                return;
            }

            var nodes = leaves - 1;
            var splitFeatures = ParseArray(fields, "split_feature", nodes, tree, ParseInt);
            var thresholds = ParseArray(fields, "threshold", nodes, tree, ParseDouble);
            var decisionTypes = ParseArray(fields, "decision_type", nodes, tree, ParseInt);
            var leftChildren = ParseArray(fields, "left_child", nodes, tree, ParseInt);
            var rightChildren = ParseArray(fields, "right_child", nodes, tree, ParseInt);
            var nodeCovers = ParseArray(fields, "internal_count", nodes, tree, ParseDouble);
            var leafCovers = ParseArray(fields, "leaf_count", leaves, tree, ParseDouble);
            for (var node = 0; node < nodes; node++)
            {
                if ((decisionTypes[node] & 1) != 0)
                {
                    throw new NotSupportedException(
                        $"Tree {tree}, node {node} splits feature {splitFeatures[node]} by category (decision_type {decisionTypes[node]}); TreeEnsemble reads numerical splits only.");
                }

                if (decisionTypes[node] is < 0 or > 11 || ((decisionTypes[node] >> 2) & 3) > TreeEnsemble.MissingNaN)
                {
                    throw new FormatException($"Tree {tree}, node {node}: decision_type {decisionTypes[node]} is not a numerical split's.");
                }

                if (splitFeatures[node] < 0 || splitFeatures[node] >= featureCount)
                {
                    throw new FormatException($"Tree {tree}, node {node} splits feature {splitFeatures[node]} of {featureCount}.");
                }

                _splitFeatures.Add(splitFeatures[node]);
                _thresholds.Add(thresholds[node]);
                _decisionTypes.Add((byte)decisionTypes[node]);
                _leftChildren.Add(Global(leftChildren[node]));
                _rightChildren.Add(Global(rightChildren[node]));
                _nodeCovers.Add(nodeCovers[node]);
            }

            _roots.Add(nodeOffset);
            _leafValues.AddRange(leafValues);
            _leafCovers.AddRange(leafCovers);
            _leafOffsets.Add(_leafValues.Count);
            _maxDepth = Math.Max(_maxDepth, Depth(tree, nodeOffset, leaves));

            int Global(int child)
            {
                if (child >= 0 && child < nodes)
                {
                    return nodeOffset + child;
                }

                if (child < 0 && ~child < leaves)
                {
                    return ~(leafOffset + ~child);
                }

                throw new FormatException($"Tree {tree} has a child {child} out of its {nodes} nodes and {leaves} leaves.");
            }
        }

        public TreeEnsemble Build(string[] featureNames, string objective) => new(
            featureNames,
            objective,
            [.. _roots],
            [.. _leafOffsets],
            [.. _splitFeatures],
            [.. _thresholds],
            [.. _decisionTypes],
            [.. _leftChildren],
            [.. _rightChildren],
            [.. _nodeCovers],
            [.. _leafValues],
            [.. _leafCovers],
            _maxDepth);

        /// <summary>
        /// The depth of a tree just added, checking on the way that the walk from its root reaches as many nodes and
        /// leaves as a tree of its size has, and no more: a cycle among the children cannot make a walk endless.
        /// </summary>
        private int Depth(int tree, int root, int leaves)
        {
            var reached = 0;
            var depth = 0;
            var pending = new Stack<(int Node, int Depth)>();
            pending.Push((root, 0));
            while (pending.Count > 0)
            {
                var (node, nodeDepth) = pending.Pop();
                if (++reached > 2 * leaves - 1)
                {
                    throw new FormatException($"Tree {tree}'s children do not form a tree.");
                }

                if (node < 0)
                {
                    depth = Math.Max(depth, nodeDepth);
                    continue;
                }

                pending.Push((_leftChildren[node], nodeDepth + 1));
                pending.Push((_rightChildren[node], nodeDepth + 1));
            }

            if (reached != 2 * leaves - 1)
            {
                throw new FormatException($"Tree {tree}'s children do not form a tree.");
            }

            return depth;
        }
    }
}
