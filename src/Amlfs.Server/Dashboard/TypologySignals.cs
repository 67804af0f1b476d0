using Amlfs.Decisions;
using Amlfs.Registry;
using Amlfs.Scoring;
using Amlfs.Server.Serving;

namespace Amlfs.Server.Dashboard;

/// <summary>
/// The typology signal of an alert: the family of the feature that raised its score the most (its largest positive
/// contribution), as its view declares it (<c>velocity</c>, <c>structuring</c>, <c>counterparty</c>, <c>graph</c>,
/// <c>shared</c>...), else the view's name. A learned model names its inputs by feature (prefixed with the entity's
/// name where two entities share a name); a rule of the rules model names the feature it compares. The transaction's
/// amount is its own signal, <c>amount</c>; a request feature outside any view is <c>request</c>.
/// </summary>
internal sealed class TypologySignals
{
    public const string Amount = "amount";

    public const string Request = "request";

    private readonly Dictionary<string, FeatureDefinition> _byInput = new(StringComparer.Ordinal);

    public TypologySignals(ActiveDefinitions definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var all = definitions.Registry.Definition.AllFeatures.ToLookup(f => (f.Entity, f.Name));
        if (definitions.Layout is not { } layout)
            return;
        for (var g = 0; g < layout.Entities.Count; g++)
        {
            var entity = layout.Entities[g];
            var names = entity.Features.Select(f => f.Name).Concat(entity.RequestFeatures.Select(f => f.Name)).ToArray();
            for (var i = 0; i < names.Length; i++)
            {
                if (all[(entity.Name, names[i])].FirstOrDefault() is { } definition)
                    _byInput.TryAdd(layout.Names[layout.Offset(g) + i], definition);
            }
        }
    }

    /// <summary>The feature a rules model's reason compares (the rules name their reasons by <see cref="RiskReasonCode"/>).</summary>
    public static string? RuleFeature(string reason) => Enum.TryParse<RiskReasonCode>(reason, out var code) ? code switch
    {
        RiskReasonCode.HighAmount or RiskReasonCode.ElevatedAmount => ModelInputLayout.AmountInput,
        RiskReasonCode.MultipleIps => RulesModelSettings.UniqueIpsFeature,
        RiskReasonCode.HighVelocity => RulesModelSettings.VelocityFeature,
        RiskReasonCode.IrregularAmounts => RulesModelSettings.DeviationFeature,
        RiskReasonCode.NightActivity => RulesModelSettings.NightCountFeature,
        _ => null,
    } : null;

    /// <summary>The signal of a model input (or a rule's reason), or null for a name nothing declares.</summary>
    public string? Of(string input)
    {
        var name = RuleFeature(input) ?? input;
        if (name == ModelInputLayout.AmountInput)
            return Amount;
        if (!_byInput.TryGetValue(name, out var definition))
            return null;
        if (definition.Family.Length > 0)
            return definition.Family;
        return definition.Kind == FeatureKind.Request || definition.View.Length == 0 ? Request : definition.View;
    }

    /// <summary>The signal of a decision: that of its largest positive contribution; null without an explanation.</summary>
    public string? Of(Decision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.Contributions is not { Count: > 0 } contributions)
            return null;
        var top = contributions.FirstOrDefault(c => c.Contribution > 0) ?? contributions[0];
        return Of(top.Feature);
    }

    /// <summary>The feature behind a model input or a rule's reason, for linking it to its definition.</summary>
    public static string FeatureOf(string input) => RuleFeature(input) ?? input;
}
