using Amlfs.Server.Contracts;

namespace Amlfs.Server.Observability;

/// <summary>
/// The health of the process: each component's check, in the order the runtime contributed them. The process is
/// healthy when no component is unhealthy (a disabled one is not).
/// </summary>
internal sealed class ServerHealth(IReadOnlyList<IComponentHealthCheck> checks)
{
    public const string Healthy = "healthy";

    public const string Unhealthy = "unhealthy";

    public const string Disabled = "disabled";

    public async Task<HealthResponse> CheckAsync(CancellationToken cancellationToken)
    {
        var components = new Dictionary<string, ComponentHealth>(checks.Count, StringComparer.Ordinal);
        foreach (var check in checks)
            components[check.Name] = await check.CheckAsync(cancellationToken).ConfigureAwait(false);
        var healthy = components.Values.All(h => h.Status != Unhealthy);
        return new HealthResponse { Status = healthy ? Healthy : Unhealthy, Components = components };
    }
}
