namespace Amlfs.Server.Contracts;

/// <summary>Overall status (healthy or unhealthy) and each component's.</summary>
public sealed class HealthResponse
{
    public required string Status { get; init; }

    public required IReadOnlyDictionary<string, ComponentHealth> Components { get; init; }
}
