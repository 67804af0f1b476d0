using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Amlfs.Security;
using Microsoft.AspNetCore.Authorization;

namespace Amlfs.Server.Security;

/// <summary>
/// The one step a request passes when keys are checked. It authenticates the request by its API key
/// (<c>Authorization: Bearer KEY</c> or <c>X-API-Key: KEY</c>) or its dashboard session cookie
/// (<see cref="DashboardSessions"/>), holds a signed-in dashboard's state changes to their CSRF token, and lets the
/// request on only if the route's <see cref="ApiAccess"/> allows the key's role: 401 without a valid key, 403 for the
/// wrong role or a missing CSRF token, as problem bodies that say what to send, each counted in
/// <see cref="AuthRejections"/> by key name. The key itself goes nowhere: no log, no claim, no metric.
/// </summary>
/// <remarks>
/// The request's user is an <see cref="ApiKeyPrincipal"/> made once per key and way in, not once per request; the
/// keys' records are replaced whenever the keys are read again, and a revoked or changed key's user goes with its old
/// record.
/// </remarks>
internal sealed class ApiKeyGate(RequestDelegate next, ApiKeyRing keys, DashboardSessions sessions, AuthRejections rejections, AuthSettings settings)
{
    private readonly ConditionalWeakTable<ApiKeyRecord, ApiKeyPrincipal> _viaKey = new();
    private readonly ConditionalWeakTable<ApiKeyRecord, ApiKeyPrincipal> _viaSession = new();

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        ApiKeyRecord? record = null;
        string? failure = null;
        string? csrf = null;
        if (Presented(request) is { } presented)
        {
            record = keys.Find(presented);
            if (record is not null)
                context.User = UserOf(_viaKey, record, "key");
            else
                failure = "the API key is not valid: unknown, revoked or mistyped";
        }
        else if (request.Cookies.TryGetValue(DashboardSessions.Cookie, out var sessionId))
        {
            if (sessions.Find(sessionId) is { } session && keys.FindById(session.KeyId) is { } signedIn)
            {
                record = signedIn;
                csrf = session.Csrf;
                context.User = UserOf(_viaSession, record, "session");
            }
            else
            {
                failure = "the dashboard session has ended or its key was revoked: sign in again";
            }
        }

        // A request signed in by cookie that changes state must echo its session's CSRF token: another site can make a
        // browser send the cookie, never read the token. Signing in and out (/auth) carry no session's power.
        if (csrf is not null && ChangesState(request.Method) && !request.Path.StartsWithSegments("/auth", StringComparison.Ordinal)
            && !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(request.Headers[DashboardSessions.CsrfHeader].ToString()), Encoding.ASCII.GetBytes(csrf)))
        {
            rejections.Record("csrf", record!.Name);
            return Refuse(context, StatusCodes.Status403Forbidden, "Missing or wrong CSRF token",
                $"a signed-in dashboard request that changes state must carry the session's CSRF token in the {DashboardSessions.CsrfHeader} header (the {DashboardSessions.CsrfCookie} cookie holds it)");
        }

        // /docs is served by the Swagger UI's middleware, not a route: its pages hold no data, and the document they
        // show is open. Any other request that matched no route (a mistyped path) needs what a route without metadata
        // does.
        var metadata = context.GetEndpoint()?.Metadata;
        if (metadata?.GetMetadata<IAllowAnonymous>() is not null || (metadata is null && request.Path.StartsWithSegments("/docs", StringComparison.Ordinal)))
            return next(context);
        var access = metadata?.GetMetadata<ApiAccess>() ?? ApiAccess.AdminOnly;
        if (access.Role is null && !settings.MetricsNeedKey)
            return next(context);
        if (record is null)
        {
            rejections.Record("unauthenticated", "");
            context.Response.Headers.WWWAuthenticate = "Bearer";
            var role = access.Role switch { null => "", ApiRole.Admin => " of role 'admin'", { } r => $" of role '{r.Name()}' or 'admin'" };
            return Refuse(context, StatusCodes.Status401Unauthorized, "Authentication required",
                $"{failure ?? "this route needs an API key"}: send Authorization: Bearer <key> or X-API-Key: <key>{role} (amlfs keys create makes one)");
        }

        if (access.Role is { } needed && !record.Role.Allows(needed))
        {
            rejections.Record("forbidden", record.Name);
            return Refuse(context, StatusCodes.Status403Forbidden, "Forbidden",
                $"the key '{record.Name}' has the role '{record.Role.Name()}'; {request.Method} {request.Path} needs '{needed.Name()}'{(needed == ApiRole.Admin ? "" : " or 'admin'")}");
        }

        return next(context);
    }

    /// <summary>The key a request presents, or null.</summary>
    internal static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return authorization["Bearer ".Length..].Trim();
        var header = request.Headers["X-API-Key"].ToString();
        return header.Length > 0 ? header.Trim() : null;
    }

    private static bool ChangesState(string method) =>
        !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !HttpMethods.IsOptions(method);

    private static Task Refuse(HttpContext context, int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title).ExecuteAsync(context);

    private ApiKeyPrincipal UserOf(ConditionalWeakTable<ApiKeyRecord, ApiKeyPrincipal> users, ApiKeyRecord record, string via) =>
        users.TryGetValue(record, out var user) ? user : Made(users, record, via);

    private ApiKeyPrincipal Made(ConditionalWeakTable<ApiKeyRecord, ApiKeyPrincipal> users, ApiKeyRecord record, string via) =>
        users.GetValue(record, r => new ApiKeyPrincipal(r, via, settings));
}
