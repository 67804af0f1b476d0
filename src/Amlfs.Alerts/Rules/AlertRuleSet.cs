using Amlfs.Registry;

namespace Amlfs.Alerts.Rules;

/// <summary>
/// The rules and channels of an alerts file, read and validated at once: a file with any problem is refused whole
/// with every problem named by line and key (<see cref="AlertRulesException"/>).
/// </summary>
public sealed record AlertRuleSet
{
    /// <summary>The name of the built-in rules, the <c>alerts.yaml</c> at the repository root.</summary>
    public const string DefaultFileName = "alerts.yaml";

    public required IReadOnlyList<AlertRule> Rules { get; init; }

    public IReadOnlyList<AlertChannelDefinition> Channels { get; init; } = [];

    /// <summary>The built-in rules (the repository's <c>alerts.yaml</c>): no channels, so alerts are recorded only.</summary>
    public static AlertRuleSet Default { get; } = ReadDefault();

    /// <summary>Reads and validates the alerts file at <paramref name="path"/>.</summary>
    /// <exception cref="AlertRulesException">The file has problems; each is listed.</exception>
    public static AlertRuleSet Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Reads and validates an alerts file's text; <paramref name="file"/> names it in errors.</summary>
    /// <exception cref="AlertRulesException">The text has problems; each is listed, top to bottom.</exception>
    public static AlertRuleSet Parse(string text, string file = DefaultFileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reader = new AlertRulesReader(file);
        var rules = reader.Read(text);
        if (reader.Errors.Count > 0 || rules is null)
            throw new AlertRulesException(DefinitionException.InLineOrder(reader.Errors));
        return rules;
    }

    /// <summary>The channel named <paramref name="name"/>, or null.</summary>
    public AlertChannelDefinition? Channel(string name) => Channels.FirstOrDefault(c => c.Name == name);

    private static AlertRuleSet ReadDefault()
    {
        using var stream = typeof(AlertRuleSet).Assembly.GetManifestResourceStream("Amlfs.Alerts.alerts.yaml")
            ?? throw new InvalidOperationException("the built-in alerts.yaml is not embedded");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), DefaultFileName);
    }
}
