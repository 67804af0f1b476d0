using System.Security.Claims;
using System.Text.Encodings.Web;
using Amlfs.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Amlfs.Server.Security;

/// <summary>
/// Authenticates a request by its API key (<c>Authorization: Bearer KEY</c> or <c>X-API-Key: KEY</c>) or by a
/// dashboard session cookie (<see cref="DashboardSessions"/>). The identity's name is the key's name, its role claim
/// the key's role; the key itself goes nowhere (no log, no claim, no metric).
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyRing keys, DashboardSessions sessions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>The claim with the key's public id.</summary>
    public const string KeyIdClaim = "amlfs:key_id";

    /// <summary>The claim saying how the request was authenticated: <c>key</c> or <c>session</c>.</summary>
    public const string ViaClaim = "amlfs:via";

    /// <summary>Where a session's CSRF token is kept for the request (<see cref="HttpContext.Items"/>).</summary>
    public const string CsrfItem = "amlfs:csrf";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Presented(Request);
        if (presented is not null)
        {
            return Task.FromResult(keys.Find(presented) is { } record
                ? AuthenticateResult.Success(Ticket(record, "key"))
                : AuthenticateResult.Fail("the API key is not valid: unknown, revoked or mistyped"));
        }

        if (Request.Cookies.TryGetValue(DashboardSessions.Cookie, out var sessionId))
        {
            if (sessions.Find(sessionId) is { } session && keys.FindById(session.KeyId) is { } record)
            {
                Context.Items[CsrfItem] = session.Csrf;
                return Task.FromResult(AuthenticateResult.Success(Ticket(record, "session")));
            }

            return Task.FromResult(AuthenticateResult.Fail("the dashboard session has ended or its key was revoked: sign in again"));
        }

        return Task.FromResult(AuthenticateResult.NoResult());
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

    private AuthenticationTicket Ticket(ApiKeyRecord record, string via)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, record.Name), new Claim(ClaimTypes.Role, record.Role.Name()), new Claim(KeyIdClaim, record.Id), new Claim(ViaClaim, via)],
            SchemeName);
        return new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName);
    }
}
