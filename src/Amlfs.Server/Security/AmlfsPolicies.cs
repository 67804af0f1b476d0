using System.Security.Claims;
using System.Threading.RateLimiting;
using Amlfs.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Amlfs.Server.Security;

/// <summary>
/// The API's keys and roles: one authorization policy per role, which a route names (<c>RequireAuthorization</c>), and
/// one for <c>/metrics</c>; a route that names none needs an admin key. 401 without a valid key and 403 for the wrong
/// role answer with problem bodies that say what to send; each refusal counts in <c>amlfs_auth_rejections_total</c>
/// by key name (never the key). With checking off (<see cref="AuthSettings.Enabled"/> false) every policy lets
/// everyone through. Each key is rate limited by its role (<see cref="AuthSettings.RateLimits"/>): 429 with
/// <c>Retry-After</c>.
/// </summary>
internal static class AmlfsPolicies
{
    public const string Ingest = "ingest";
    public const string Score = "score";
    public const string Analyst = "analyst";
    public const string Admin = "admin";
    public const string Metrics = "metrics";

    public static IServiceCollection AddAmlfsAuth(this IServiceCollection services, AuthSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuthorizationProblems>();
        services.AddSingleton<IAuthorizationHandler, RoleRequirementHandler>();
        if (!settings.Enabled)
        {
            services.AddAuthorizationBuilder()
                .AddPolicy(Ingest, Open).AddPolicy(Score, Open).AddPolicy(Analyst, Open).AddPolicy(Admin, Open).AddPolicy(Metrics, Open);
            return services;
        }

        // Authentication brings data protection along; nothing here protects data with it, so its keys live in memory
        // and nothing is written to the user's profile.
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddSingleton(_ => new ApiKeyRing(settings.Store()));
        services.AddSingleton<DashboardSessions>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        var builder = services.AddAuthorizationBuilder()
            .AddPolicy(Ingest, p => p.AddRequirements(new RoleRequirement(ApiRole.Ingest)))
            .AddPolicy(Score, p => p.AddRequirements(new RoleRequirement(ApiRole.Score)))
            .AddPolicy(Analyst, p => p.AddRequirements(new RoleRequirement(ApiRole.Analyst)))
            .AddPolicy(Admin, p => p.AddRequirements(new RoleRequirement(ApiRole.Admin)))
            .AddPolicy(Metrics, settings.MetricsNeedKey ? p => p.RequireAuthenticatedUser() : Open)
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().AddRequirements(new RoleRequirement(ApiRole.Admin)).Build());
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, settings));
            o.OnRejected = async (rejected, cancellationToken) =>
            {
                var context = rejected.HttpContext;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
                context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var name = context.User.Identity?.Name ?? "";
                context.RequestServices.GetRequiredService<AuthRejections>().Record("rate_limited", name);
                var role = context.User.FindFirst(ClaimTypes.Role)?.Value ?? "";
                await TypedResults.Problem(
                    $"the key '{name}' made more than its role '{role}' allows ({RateOf(settings, role)} requests per second); retry after {retryAfter} s",
                    statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests").ExecuteAsync(context);
            };
        });
        return services;
    }

    /// <summary>Authentication, the CSRF check of dashboard sessions, authorization and rate limits, in that order.</summary>
    public static IApplicationBuilder UseAmlfsAuth(this IApplicationBuilder app, AuthSettings settings)
    {
        if (!settings.Enabled)
        {
            app.UseAuthorization();
            return app;
        }

        // The keys are read here, on the thread that builds the pipeline, never on a request's: a store over the network
        // is read synchronously, and a request's socket thread may be the one its answer needs.
        app.ApplicationServices.GetRequiredService<ApiKeyRing>();
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            // A request signed in by cookie that changes state must echo its session's CSRF token: another site can
            // make a browser send the cookie, never read the token. Signing in and out (/auth) carry no session's power.
            if (context.User.FindFirst(ApiKeyAuthenticationHandler.ViaClaim)?.Value == "session" && !HttpMethods.IsGet(context.Request.Method)
                && !context.Request.Path.StartsWithSegments("/auth", StringComparison.Ordinal)
                && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method)
                && context.Items[ApiKeyAuthenticationHandler.CsrfItem] is string expected
                && !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.ASCII.GetBytes(context.Request.Headers[DashboardSessions.CsrfHeader].ToString()),
                    System.Text.Encoding.ASCII.GetBytes(expected)))
            {
                context.RequestServices.GetRequiredService<AuthRejections>().Record("csrf", context.User.Identity?.Name ?? "");
                await TypedResults.Problem(
                    $"a signed-in dashboard request that changes state must carry the session's CSRF token in the {DashboardSessions.CsrfHeader} header (the {DashboardSessions.CsrfCookie} cookie holds it)",
                    statusCode: StatusCodes.Status403Forbidden, title: "Missing or wrong CSRF token").ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    private static void Open(AuthorizationPolicyBuilder policy) => policy.RequireAssertion(_ => true);

    private static RateLimitPartition<string> Partition(HttpContext context, AuthSettings settings)
    {
        var name = context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name : null;
        var role = ApiRoles.Parse(context.User.FindFirst(ClaimTypes.Role)?.Value);
        if (name is null || role is null || !settings.RateLimits.TryGetValue(role.Value, out var rate))
            return RateLimitPartition.GetNoLimiter("");
        return RateLimitPartition.GetTokenBucketLimiter(name, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = rate,
            TokensPerPeriod = rate,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static string RateOf(AuthSettings settings, string role) =>
        ApiRoles.Parse(role) is { } parsed && settings.RateLimits.TryGetValue(parsed, out var rate) ? rate.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?";
}

/// <summary>A route needs a key of this role (or an admin key).</summary>
internal sealed record RoleRequirement(ApiRole Role) : IAuthorizationRequirement;

internal sealed class RoleRequirementHandler : AuthorizationHandler<RoleRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RoleRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated == true && ApiRoles.Parse(context.User.FindFirst(ClaimTypes.Role)?.Value) is { } held
            && held.Allows(requirement.Role))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Answers a refused request with a problem body that says what it lacks, and counts it.</summary>
internal sealed class AuthorizationProblems : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (result.Succeeded)
        {
            await _default.HandleAsync(next, context, policy, result);
            return;
        }

        var rejections = context.RequestServices.GetRequiredService<AuthRejections>();
        var needed = policy.Requirements.OfType<RoleRequirement>().Select(r => r.Role.Name()).FirstOrDefault();
        if (result.Challenged || context.User.Identity?.IsAuthenticated != true)
        {
            rejections.Record("unauthenticated", "");
            var failure = (await context.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName)).Failure?.Message;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await TypedResults.Problem(
                (failure ?? "this route needs an API key") + $": send Authorization: Bearer <key> or X-API-Key: <key>{(needed is null ? "" : $" of role '{needed}' or 'admin'")} (amlfs keys create makes one)",
                statusCode: StatusCodes.Status401Unauthorized, title: "Authentication required").ExecuteAsync(context);
            return;
        }

        var name = context.User.Identity.Name ?? "";
        rejections.Record("forbidden", name);
        await TypedResults.Problem(
            $"the key '{name}' has the role '{context.User.FindFirst(ClaimTypes.Role)?.Value}'; {context.Request.Method} {context.Request.Path} needs '{needed ?? "admin"}'{(needed is null or "admin" ? "" : " or 'admin'")}",
            statusCode: StatusCodes.Status403Forbidden, title: "Forbidden").ExecuteAsync(context);
    }
}
