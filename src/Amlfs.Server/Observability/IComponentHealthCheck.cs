using Amlfs.Server.Contracts;

namespace Amlfs.Server.Observability;

/// <summary>One component that <c>GET /health</c> reports: the engine, the store, the producer, the model, a replica's online store.</summary>
internal interface IComponentHealthCheck
{
    /// <summary>The component's name in the report.</summary>
    string Name { get; }

    /// <summary>Its status now (healthy, disabled or unhealthy) with a few facts about it.</summary>
    ValueTask<ComponentHealth> CheckAsync(CancellationToken cancellationToken);
}
