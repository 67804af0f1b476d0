using Amlfs.Learning.Models;
using Amlfs.Scoring;
using Amlfs.Server.Contracts;
using Amlfs.Server.Observability;
using Amlfs.Server.Serving;

namespace Amlfs.Server.Hosting;

/// <summary>
/// The risk model that scores: its kind and version, and whether scoring is on (it needs a customer entity). Unhealthy
/// while the active learned model cannot be loaded (the rules, or the previous model, score meanwhile).
/// </summary>
internal sealed class ModelHealthCheck(RulesRiskModel rules, ActiveRiskModel models, ActiveDefinitions definitions) : IComponentHealthCheck
{
    public string Name => "model";

    public ValueTask<ComponentHealth> CheckAsync(CancellationToken cancellationToken)
    {
        var model = models.Current;
        var details = new Dictionary<string, string>
        {
            ["kind"] = model is null ? ModelKinds.Rules : ModelKinds.GradientBoostedTrees,
            ["version"] = model?.Version ?? rules.Settings.Version,
            ["scoring"] = definitions.Customer is null ? "off: no customer entity" : "on",
        };
        if (models.Problem is { } problem)
            details["problem"] = problem;
        return ValueTask.FromResult(new ComponentHealth(models.Problem is null ? ServerHealth.Healthy : ServerHealth.Unhealthy, details));
    }
}
