using System.Globalization;
using Amlfs.Server.Contracts;
using Amlfs.Server.Observability;

namespace Amlfs.Server.Hosting;

/// <summary>The in-process synthetic producer: disabled when none runs, unhealthy once ingest stopped it.</summary>
internal sealed class ProducerHealthCheck(ProducerStatus producer) : IComponentHealthCheck
{
    public string Name => "producer";

    public ValueTask<ComponentHealth> CheckAsync(CancellationToken cancellationToken)
    {
        var c = CultureInfo.InvariantCulture;
        var state = producer.State;
        var status = state switch
        {
            ProducerStatus.Unhealthy => ServerHealth.Unhealthy,
            ProducerStatus.Disabled => ServerHealth.Disabled,
            _ => ServerHealth.Healthy,
        };
        return ValueTask.FromResult(new ComponentHealth(status, new Dictionary<string, string>
        {
            ["state"] = state,
            ["rate"] = producer.Rate.ToString(c),
            ["sent"] = producer.Sent.ToString(c),
            ["accepted"] = producer.Accepted.ToString(c),
            ["error"] = producer.Error ?? "",
        }));
    }
}
