using System.Collections;

namespace Amlfs.Scoring;

/// <summary>
/// Loads <see cref="RulesModelSettings"/> from a <c>risk-model.yaml</c> file (the default one is embedded in the core)
/// and then applies environment overrides: <c>AMLFS_RISK_</c> + a rules or levels key in upper case (for example
/// <c>AMLFS_RISK_HIGH_AMOUNT_THRESHOLD</c>, <c>AMLFS_RISK_MEDIUM_THRESHOLD</c>), <c>AMLFS_RISK_VERSION</c>,
/// <c>AMLFS_RISK_WEIGHT_FEATURE</c> and <c>AMLFS_RISK_NORMALIZER_FEATURE</c> (a feature name in upper case). Numbers
/// use the invariant culture. Every problem is reported at once in a <see cref="RulesModelConfigException"/>.
/// </summary>
public static class RulesModelConfig
{
    /// <summary>File name of the built-in default settings.</summary>
    public const string DefaultFileName = "risk-model.yaml";

    /// <summary>Prefix of every environment variable the settings read; any other variable with it is an error.</summary>
    public const string EnvironmentPrefix = RulesModelKeys.EnvironmentPrefix;

    /// <summary>The built-in default settings file, as text.</summary>
    public static string DefaultText()
    {
        using var stream = typeof(RulesModelConfig).Assembly.GetManifestResourceStream("Amlfs.Scoring.risk-model.yaml")
            ?? throw new InvalidOperationException("the default risk model settings are not embedded in Amlfs.Core");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The built-in default settings, without environment overrides.</summary>
    public static RulesModelSettings LoadDefault() => Parse(DefaultText(), DefaultFileName);

    /// <summary>
    /// Reads a settings file, applies the overrides in <paramref name="environment"/> (such as
    /// <see cref="Environment.GetEnvironmentVariables()"/>) and validates the result; with
    /// <paramref name="knownFeatures"/>, weights and rules that read other features are errors too.
    /// </summary>
    public static RulesModelSettings LoadFile(
        string path, IDictionary? environment = null, IReadOnlyCollection<string>? knownFeatures = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new RulesModelConfigException([$"{path}: does not exist"]);
        return Parse(File.ReadAllText(path), path, environment, knownFeatures);
    }

    /// <summary>As <see cref="LoadFile"/>, for settings text; <paramref name="file"/> names it in messages.</summary>
    public static RulesModelSettings Parse(
        string text, string file, IDictionary? environment = null, IReadOnlyCollection<string>? knownFeatures = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(file);
        var reader = new RulesModelReader(file);
        var settings = reader.Read(text);
        var errors = reader.Errors;
        var sources = reader.Lines.ToDictionary(p => p.Key, p => $"{file}:{p.Value}", StringComparer.Ordinal);
        if (environment is not null)
            settings = ApplyEnvironment(settings, environment, sources, errors);
        foreach (var (path, message) in settings.Problems(knownFeatures))
            errors.Add($"{SourceOf(path, sources, file)}: {path}: {message}");
        if (errors.Count > 0)
            throw new RulesModelConfigException(errors);
        return settings;
    }

    private static RulesModelSettings ApplyEnvironment(
        RulesModelSettings settings, IDictionary environment, Dictionary<string, string> sources, List<string> errors)
    {
        // Sorted, so that errors come in the same order whatever the order of the process environment.
        var variables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is string name && name.StartsWith(EnvironmentPrefix, StringComparison.Ordinal))
                variables[name] = (entry.Value as string ?? "").Trim();
        }

        var keys = RulesModelKeys.All.ToDictionary(k => RulesModelKeys.Variable(k.Key), StringComparer.Ordinal);
        var weights = settings.Weights.ToList();
        var added = new Dictionary<string, (double? Weight, double? Normalizer, string Variable)>(StringComparer.Ordinal);
        foreach (var (name, value) in variables)
        {
            if (keys.TryGetValue(name, out var key))
            {
                var (updated, error) = RulesModelKeys.With(settings, key.Key, value);
                if (error is not null)
                {
                    errors.Add($"{name}: {key.Path}: {error}");
                }
                else
                {
                    settings = updated!;
                    sources[key.Path] = name;
                }

                continue;
            }

            var isWeight = name.StartsWith(RulesModelKeys.WeightPrefix, StringComparison.Ordinal);
            if (!isWeight && !name.StartsWith(RulesModelKeys.NormalizerPrefix, StringComparison.Ordinal))
            {
                errors.Add($"{name}: unknown variable (known: {string.Join(", ", keys.Keys)}, "
                    + $"{RulesModelKeys.WeightPrefix}<FEATURE>, {RulesModelKeys.NormalizerPrefix}<FEATURE>)");
                continue;
            }

            var feature = name[(isWeight ? RulesModelKeys.WeightPrefix : RulesModelKeys.NormalizerPrefix).Length..]
                .ToLowerInvariant();
            var path = $"weights.{feature}.{(isWeight ? "weight" : "normalizer")}";
            if (!RulesModelKeys.TryNumber(value, out var number))
            {
                errors.Add($"{name}: {path}: must be a number such as 3 or 0.25, got '{value}'");
                continue;
            }

            sources[path] = name;
            var index = weights.FindIndex(w => w.Feature == feature);
            if (index >= 0)
            {
                weights[index] = isWeight ? weights[index] with { Weight = number } : weights[index] with { Normalizer = number };
            }
            else
            {
                added.TryGetValue(feature, out var pending);
                added[feature] = isWeight ? pending with { Weight = number, Variable = name } : pending with { Normalizer = number, Variable = name };
            }
        }

        // A feature the file does not weigh needs both numbers; in the order the variables sort.
        foreach (var (feature, (weight, normalizer, variable)) in added)
        {
            if (weight is not null && normalizer is not null)
            {
                weights.Add(new FeatureWeight(feature, weight.Value, normalizer.Value));
                sources["weights." + feature] = variable;
            }
            else
            {
                errors.Add($"{variable}: weights.{feature}: the file does not weigh '{feature}'; set both "
                    + $"{RulesModelKeys.WeightPrefix}{feature.ToUpperInvariant()} and "
                    + $"{RulesModelKeys.NormalizerPrefix}{feature.ToUpperInvariant()} to add it");
            }
        }

        return settings with { Weights = weights };
    }

    // Where a path got its value: an environment variable, a file line, or (a default) just the file.
    private static string SourceOf(string path, Dictionary<string, string> sources, string file)
    {
        for (var p = path; ; p = p[..p.LastIndexOf('.')])
        {
            if (sources.TryGetValue(p, out var source))
                return source;
            if (!p.Contains('.', StringComparison.Ordinal))
                return file;
        }
    }
}
