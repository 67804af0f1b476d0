using Amlfs.Scoring;
using Amlfs.Server.Contracts;
using Amlfs.Server.Observability;
using Amlfs.Server.Serving;

namespace Amlfs.Server.Hosting;

/// <summary>The risk model that scores: its kind and version, and whether scoring is on (it needs a customer entity).</summary>
internal sealed class ModelHealthCheck(RulesRiskModel model, ActiveDefinitions definitions) : IComponentHealthCheck
{
    public string Name => "model";

    public ValueTask<ComponentHealth> CheckAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new ComponentHealth(ServerHealth.Healthy, new Dictionary<string, string>
        {
            ["kind"] = "rules",
            ["version"] = model.Settings.Version,
            ["scoring"] = definitions.Customer is null ? "off: no customer entity" : "on",
        }));
}
