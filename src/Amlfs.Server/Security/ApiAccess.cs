using Amlfs.Security;

namespace Amlfs.Server.Security;

/// <summary>
/// What a route needs, as endpoint metadata that <see cref="ApiKeyGate"/> reads: a key of a role (or an admin key), or
/// for <c>/metrics</c> any key when <see cref="AuthSettings.MetricsNeedKey"/> says so and none otherwise. A route
/// without it needs an admin key; <c>AllowAnonymous</c> opens a route to everyone. The most specific metadata wins, so
/// a route may name another role than its group.
/// </summary>
internal sealed class ApiAccess
{
    private static readonly Dictionary<ApiRole, ApiAccess> ByRole = Enum.GetValues<ApiRole>().ToDictionary(r => r, r => new ApiAccess(r));

    private ApiAccess(ApiRole? role) => Role = role;

    /// <summary>What a route without <see cref="ApiAccess"/> needs: an admin key.</summary>
    public static ApiAccess AdminOnly => ByRole[ApiRole.Admin];

    /// <summary><c>/metrics</c>: open, or any valid key with <see cref="AuthSettings.MetricsNeedKey"/>.</summary>
    public static ApiAccess Metrics { get; } = new(null);

    /// <summary>The role a key needs (an admin key always does); null for <see cref="Metrics"/>.</summary>
    public ApiRole? Role { get; }

    public static ApiAccess Of(ApiRole role) => ByRole[role];
}

/// <summary>Names what a route needs (<see cref="ApiAccess"/>).</summary>
internal static class ApiAccessConventions
{
    /// <summary>The route needs a key of <paramref name="role"/> or an admin key.</summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, ApiRole role) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(ApiAccess.Of(role));

    /// <summary>The route is <c>/metrics</c>: open, or keyed by configuration.</summary>
    public static TBuilder RequireMetricsAccess<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(ApiAccess.Metrics);
}
