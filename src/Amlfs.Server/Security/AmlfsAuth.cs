using System.Threading.RateLimiting;
using Amlfs.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Amlfs.Server.Security;

/// <summary>
/// The API's keys and roles: each route names the role it needs (<see cref="ApiAccess"/>), <see cref="ApiKeyGate"/>
/// checks every request against it, and each key is rate limited by its role (<see cref="AuthSettings.RateLimits"/>):
/// 429 with <c>Retry-After</c>. With checking off (<see cref="AuthSettings.Enabled"/> false) every route is open.
/// </summary>
internal static class AmlfsAuth
{
    public static IServiceCollection AddAmlfsAuth(this IServiceCollection services, AuthSettings settings)
    {
        services.AddSingleton(settings);
        if (!settings.Enabled)
            return services;

        services.AddSingleton(_ => new ApiKeyRing(settings.Store()));
        services.AddSingleton<DashboardSessions>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(Partition);
            o.OnRejected = async (rejected, cancellationToken) =>
            {
                var context = rejected.HttpContext;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
                context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                // Only a key's own bucket refuses (Partition), so the request is a key's.
                var key = ((ApiKeyPrincipal)context.User).Record;
                context.RequestServices.GetRequiredService<AuthRejections>().Record("rate_limited", key.Name);
                await TypedResults.Problem(
                    $"the key '{key.Name}' made more than its role '{key.Role.Name()}' allows ({settings.RateLimits[key.Role].ToString(System.Globalization.CultureInfo.InvariantCulture)} requests per second); retry after {retryAfter} s",
                    statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests").ExecuteAsync(context);
            };
        });
        return services;
    }

    /// <summary>The key check (<see cref="ApiKeyGate"/>), then the rate limits; nothing with checking off.</summary>
    public static IApplicationBuilder UseAmlfsAuth(this IApplicationBuilder app, AuthSettings settings)
    {
        if (!settings.Enabled)
            return app;

        // The keys are read here, on the thread that builds the pipeline, never on a request's: a store over the network
        // is read synchronously, and a request's socket thread may be the one its answer needs.
        app.ApplicationServices.GetRequiredService<ApiKeyRing>();
        app.UseMiddleware<ApiKeyGate>();
        app.UseRateLimiter();
        return app;
    }

    private static RateLimitPartition<string> Partition(HttpContext context) =>
        context.User is ApiKeyPrincipal user ? user.RateLimit : RateLimitPartition.GetNoLimiter("");

}
