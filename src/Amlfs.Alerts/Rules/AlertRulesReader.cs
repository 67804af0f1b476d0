using System.Globalization;
using Amlfs.Registry;
using Amlfs.Scoring;
using Amlfs.Yaml;
using MimeKit;
using YamlDotNet.RepresentationModel;
using static Amlfs.Yaml.YamlFileReader;

namespace Amlfs.Alerts.Rules;

/// <summary>
/// Reads the YAML of an alerts file into an <see cref="AlertRuleSet"/>, collecting every problem with its line and key
/// (<c>rules[2].threshold</c>) instead of stopping at the first. Unknown keys are errors, and so are keys another kind
/// of rule reads: a setting the rule would ignore is a mistake in the file.
/// </summary>
internal sealed class AlertRulesReader(string file)
{
    private static readonly string[] TopKeys = ["defaults", "channels", "rules"];
    private static readonly string[] DefaultKeys = ["level", "channels", "throttle"];
    private static readonly string[] CommonRuleKeys = ["name", "kind", "level", "description", "channels", "throttle", "typology"];
    private static readonly string[] CommonChannelKeys = ["name", "type", "timeout", "attempts", "backoff", "max_backoff"];
    private static readonly string[] WebhookKeys = ["url", "format"];
    private static readonly string[] EmailKeys = ["host", "port", "security", "from", "to", "username", "password_env"];
    private static readonly string[] Levels = ["info", "warning", "critical"];
    private static readonly string[] RiskLevels = ["low", "medium", "high"];
    private static readonly string[] Formats = ["json", "slack"];
    private static readonly string[] Securities = ["auto", "none", "starttls", "tls"];
    private static readonly string[] Entities = ["customer", "merchant"];
    private static readonly string[] ChannelTypes = ["webhook", "email"];

    private readonly YamlFileReader _yaml = new(emptyIsAbsent: true);

    /// <summary>Every problem found, each placed in the file.</summary>
    public IReadOnlyList<DefinitionError> Errors => [.. _yaml.Problems.Select(p => new DefinitionError(file, p.Line, p.Path, p.Message))];

    public AlertRuleSet? Read(string text)
    {
        if (_yaml.Root(text, "a YAML mapping with rules (and optionally channels and defaults)") is not { } root)
            return null;

        _yaml.CheckKeys(root, TopKeys, "");
        var channels = ReadChannels(root);
        var defaults = ReadDefaults(root, channels);
        var rules = ReadRules(root, channels, defaults);
        return new AlertRuleSet { Rules = rules, Channels = channels };
    }

    private List<AlertChannelDefinition> ReadChannels(YamlMappingNode root)
    {
        var channels = new List<AlertChannelDefinition>();
        foreach (var (node, path) in _yaml.Sequence(root, "channels", "", required: false))
        {
            var name = Name(node, path);
            var typeText = Choice(node, "type", path, ChannelTypes, required: true);
            var type = typeText == "email" ? AlertChannelType.Email : AlertChannelType.Webhook;
            _yaml.CheckKeys(node, [.. CommonChannelKeys, .. type == AlertChannelType.Email ? EmailKeys : WebhookKeys], path, typeText);
            var defaults = new RetryPolicy();
            var channel = new AlertChannelDefinition
            {
                Name = name ?? "",
                Type = type,
                Timeout = Duration(node, "timeout", path) ?? TimeSpan.FromSeconds(10),
                Retry = new RetryPolicy
                {
                    Attempts = (int)(Whole(node, "attempts", path, 1, 100) ?? defaults.Attempts),
                    Backoff = Duration(node, "backoff", path) ?? defaults.Backoff,
                    MaxBackoff = Duration(node, "max_backoff", path) ?? defaults.MaxBackoff,
                },
                Line = (int)node.Start.Line,
            };
            if (channel.Retry.MaxBackoff < channel.Retry.Backoff && Child(node, "max_backoff") is { } maxNode)
                _yaml.Error(maxNode, path + "max_backoff", "must not be shorter than backoff");
            channel = typeText switch
            {
                "webhook" => ReadWebhook(node, path, channel),
                "email" => ReadEmail(node, path, channel),
                _ => channel,
            };

            if (name is null || typeText is null)
                continue;
            if (channels.Any(c => c.Name == name))
                _yaml.Error(Child(node, "name")!, path + "name", $"channel '{name}' is declared twice");
            else
                channels.Add(channel);
        }

        return channels;
    }

    private AlertChannelDefinition ReadWebhook(YamlMappingNode node, string path, AlertChannelDefinition channel)
    {
        Uri? url = null;
        if (_yaml.Scalar(node, "url", path, required: true) is { } urlText
            && (!Uri.TryCreate(urlText, UriKind.Absolute, out url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            _yaml.Error(Child(node, "url")!, path + "url", $"must be an http or https address, got '{urlText}'");
        }

        var format = Choice(node, "format", path, Formats) == "slack" ? WebhookFormat.Slack : WebhookFormat.Json;
        return channel with { Url = url, Format = format };
    }

    private AlertChannelDefinition ReadEmail(YamlMappingNode node, string path, AlertChannelDefinition channel)
    {
        var host = _yaml.Scalar(node, "host", path, required: true);
        var port = (int)(Whole(node, "port", path, 1, 65535) ?? 25);
        var security = Choice(node, "security", path, Securities) switch
        {
            "none" => EmailSecurity.None,
            "starttls" => EmailSecurity.StartTls,
            "tls" => EmailSecurity.Tls,
            _ => EmailSecurity.Auto,
        };
        var from = _yaml.Scalar(node, "from", path, required: true);
        if (from is not null && !IsAddress(from))
            _yaml.Error(Child(node, "from")!, path + "from", $"must be an e-mail address, got '{from}'");
        var to = Words(node, "to", path, required: true);
        for (var i = 0; i < to.Count; i++)
        {
            if (!IsAddress(to[i].Text))
                _yaml.Error(to[i].Node, path + "to", $"must be e-mail addresses, got '{to[i].Text}'");
        }

        var username = _yaml.Scalar(node, "username", path);
        var password = _yaml.Scalar(node, "password_env", path);
        if (password is not null && username is null)
            _yaml.Error(Child(node, "password_env")!, path + "password_env", "needs a username to authenticate with");
        return channel with
        {
            Host = host,
            Port = port,
            Security = security,
            From = from,
            To = to.Select(t => t.Text).ToList(),
            Username = username,
            PasswordVariable = password,
        };
    }

    /// <summary>An address with a domain: MimeKit alone also takes a bare local part such as "me".</summary>
    private static bool IsAddress(string text) =>
        MailboxAddress.TryParse(text, out var address) && address.Address.IndexOf('@', StringComparison.Ordinal) is > 0 and var at
        && at < address.Address.Length - 1;

    private (AlertLevel Level, IReadOnlyList<string> Channels, TimeSpan Throttle) ReadDefaults(
        YamlMappingNode root, List<AlertChannelDefinition> channels)
    {
        if (Child(root, "defaults") is not { } node)
            return (AlertLevel.Warning, [], TimeSpan.Zero);
        if (node is not YamlMappingNode defaults)
        {
            _yaml.Error(node, "defaults", "must be a mapping of level, channels and throttle");
            return (AlertLevel.Warning, [], TimeSpan.Zero);
        }

        _yaml.CheckKeys(defaults, DefaultKeys, "defaults.");
        return (Level(defaults, "defaults.") ?? AlertLevel.Warning, ChannelNames(defaults, "defaults.", channels) ?? [],
            Duration(defaults, "throttle", "defaults.", allowZero: true) ?? TimeSpan.Zero);
    }

    private List<AlertRule> ReadRules(
        YamlMappingNode root, List<AlertChannelDefinition> channels, (AlertLevel Level, IReadOnlyList<string> Channels, TimeSpan Throttle) defaults)
    {
        var rules = new List<AlertRule>();
        foreach (var (node, path) in _yaml.Sequence(root, "rules", "", required: true))
        {
            var name = Name(node, path);
            var kindText = Choice(node, "kind", path, AlertRuleKindNames.All, required: true);
            var rule = new AlertRule
            {
                Name = name ?? "",
                Kind = kindText is null ? AlertRuleKind.HighDecision : AlertRuleKindNames.Parse(kindText)!.Value,
                Level = Level(node, path) ?? defaults.Level,
                Description = _yaml.Scalar(node, "description", path) ?? "",
                Channels = ChannelNames(node, path, channels) ?? defaults.Channels,
                Throttle = Duration(node, "throttle", path, allowZero: true) ?? defaults.Throttle,
                Typology = _yaml.Scalar(node, "typology", path),
                Line = (int)node.Start.Line,
            };

            if (kindText is not null)
            {
                _yaml.CheckKeys(node, [.. CommonRuleKeys, .. KindKeys(rule.Kind)], path, kindText);
                rule = ReadKind(node, path, rule);
            }

            if (name is null || kindText is null)
                continue;
            if (rules.Any(r => r.Name == name))
                _yaml.Error(Child(node, "name")!, path + "name", $"rule '{name}' is declared twice");
            else
                rules.Add(rule);
        }

        return rules;
    }

    private static string[] KindKeys(AlertRuleKind kind) => kind switch
    {
        AlertRuleKind.HighDecision => [],
        AlertRuleKind.HighDecisionsPerEntity => ["entity", "count", "within"],
        AlertRuleKind.FeatureAbove => ["feature", "threshold", "min_level"],
        AlertRuleKind.PredictP99Above or AlertRuleKind.EngineLagAbove => ["threshold", "for"],
        AlertRuleKind.RejectedShareAbove => ["threshold", "for", "window", "min_events"],
        AlertRuleKind.ComponentUnavailable => ["component", "for"],
        AlertRuleKind.PsiAbove => ["feature", "threshold", "for"],
        _ => [],
    };

    private AlertRule ReadKind(YamlMappingNode node, string path, AlertRule rule)
    {
        if (!rule.Kind.ReadsDecisions())
            rule = rule with { For = Duration(node, "for", path, allowZero: true) ?? TimeSpan.Zero };
        switch (rule.Kind)
        {
            case AlertRuleKind.HighDecisionsPerEntity:
                return rule with
                {
                    Entity = Choice(node, "entity", path, Entities) == "merchant" ? AlertEntity.Merchant : AlertEntity.Customer,
                    // One HIGH decision is a high_decision rule; a run of one would never end while the entity stays active.
                    Count = (int)(Whole(node, "count", path, 2, 10_000, required: true) ?? 2),
                    Within = Duration(node, "within", path, required: true) ?? TimeSpan.FromHours(1),
                };
            case AlertRuleKind.FeatureAbove:
                return rule with
                {
                    Feature = _yaml.Scalar(node, "feature", path, required: true),
                    Threshold = Number(node, "threshold", path, required: true) ?? 0,
                    MinLevel = Choice(node, "min_level", path, RiskLevels) switch
                    {
                        "medium" => RiskLevel.Medium,
                        "high" => RiskLevel.High,
                        _ => RiskLevel.Low,
                    },
                };
            case AlertRuleKind.PredictP99Above or AlertRuleKind.EngineLagAbove:
                return rule with { Threshold = (Duration(node, "threshold", path, required: true) ?? TimeSpan.Zero).TotalSeconds };
            case AlertRuleKind.RejectedShareAbove:
                return rule with
                {
                    Threshold = Share(node, "threshold", path) ?? 0,
                    Window = Duration(node, "window", path) ?? TimeSpan.FromMinutes(1),
                    MinEvents = Whole(node, "min_events", path, 1, long.MaxValue) ?? 100,
                };
            case AlertRuleKind.ComponentUnavailable:
                return rule with { Component = _yaml.Scalar(node, "component", path) };
            case AlertRuleKind.PsiAbove:
                var psi = Number(node, "threshold", path) ?? 0.2;
                if (psi <= 0 && Child(node, "threshold") is { } psiNode)
                    _yaml.Error(psiNode, path + "threshold", "must be above 0, such as 0.2");
                return rule with { Feature = _yaml.Scalar(node, "feature", path), Threshold = psi };
            default:
                return rule;
        }
    }

    private string? Name(YamlMappingNode node, string path)
    {
        var name = _yaml.Scalar(node, "name", path, required: true);
        if (name is null)
            return null;
        if (name.Length == 0 || name.Length > 64 || !char.IsAsciiLetterLower(name[0])
            || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-'))
        {
            _yaml.Error(Child(node, "name")!, path + "name", $"'{name}' must be a-z, 0-9, _ and -, starting with a letter, at most 64 characters");
            return null;
        }

        return name;
    }

    private AlertLevel? Level(YamlMappingNode node, string path) => Choice(node, "level", path, Levels) switch
    {
        "info" => AlertLevel.Info,
        "warning" => AlertLevel.Warning,
        "critical" => AlertLevel.Critical,
        _ => null,
    };

    private List<string>? ChannelNames(YamlMappingNode node, string path, List<AlertChannelDefinition> channels)
    {
        if (Child(node, "channels") is null)
            return null;
        var names = new List<string>();
        foreach (var (text, wordNode) in Words(node, "channels", path, required: false))
        {
            if (channels.Any(c => c.Name == text))
            {
                if (!names.Contains(text))
                    names.Add(text);
            }
            else
            {
                var declared = channels.Count == 0 ? "none" : string.Join(", ", channels.Select(c => c.Name));
                _yaml.Error(wordNode, path + "channels", $"unknown channel '{text}' (declared: {declared})");
            }
        }

        return names;
    }

    /// <summary>A single word or a list of words, each with its node for errors.</summary>
    private List<(string Text, YamlNode Node)> Words(YamlMappingNode node, string key, string path, bool required)
    {
        var child = Child(node, key);
        if (child is null)
        {
            if (required)
                _yaml.Error(node, path + key, "is required");
            return [];
        }

        if (child is YamlScalarNode { Value: { Length: > 0 } one })
            return [(one, child)];
        if (child is YamlSequenceNode seq && seq.Children.All(c => c is YamlScalarNode { Value.Length: > 0 }))
            return seq.Children.Select(c => (((YamlScalarNode)c).Value!, c)).ToList();
        _yaml.Error(child, path + key, "must be a word or a list of words, such as [ops, compliance]");
        return [];
    }

    private string? Choice(YamlMappingNode node, string key, string path, IReadOnlyList<string> known, bool required = false)
    {
        var text = _yaml.Scalar(node, key, path, required);
        if (text is null || known.Contains(text))
            return text;
        _yaml.Error(Child(node, key)!, path + key, $"unknown {key} '{text}' (one of: {string.Join(", ", known)})");
        return null;
    }

    private TimeSpan? Duration(YamlMappingNode node, string key, string path, bool required = false, bool allowZero = false)
    {
        var text = _yaml.Scalar(node, key, path, required);
        if (text is null)
            return null;
        var ms = WindowRules.ParseDuration(text);
        if (ms is null || ms < 0 || (ms == 0 && !allowZero))
        {
            _yaml.Error(Child(node, key)!, path + key, $"must be a duration such as 50ms, 30s, 5m or 1h, got '{text}'");
            return null;
        }

        return TimeSpan.FromMilliseconds(ms.Value);
    }

    private double? Number(YamlMappingNode node, string key, string path, bool required = false)
    {
        var text = _yaml.Scalar(node, key, path, required);
        if (text is null)
            return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
            return value;
        _yaml.Error(Child(node, key)!, path + key, $"must be a number such as 3 or 0.25, got '{text}'");
        return null;
    }

    /// <summary>A share in (0, 1): 0.05 or 5%.</summary>
    private double? Share(YamlMappingNode node, string key, string path)
    {
        var text = _yaml.Scalar(node, key, path, required: true);
        if (text is null)
            return null;
        var percent = text.EndsWith('%');
        if (double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            value = percent ? value / 100 : value;
            if (value > 0 && value < 1)
                return value;
        }

        _yaml.Error(Child(node, key)!, path + key, $"must be a share between 0 and 1 such as 0.05, or a percentage such as 5%, got '{text}'");
        return null;
    }

    private long? Whole(YamlMappingNode node, string key, string path, long min, long max, bool required = false)
    {
        var text = _yaml.Scalar(node, key, path, required);
        if (text is null)
            return null;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        var range = max == long.MaxValue
            ? string.Create(CultureInfo.InvariantCulture, $"at least {min}")
            : string.Create(CultureInfo.InvariantCulture, $"from {min} to {max}");
        _yaml.Error(Child(node, key)!, path + key, $"must be a whole number {range}, got '{text}'");
        return null;
    }
}
