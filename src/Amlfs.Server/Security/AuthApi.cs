using Amlfs.Security;
using Amlfs.Server.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amlfs.Server.Security;

/// <summary>
/// The dashboard's sign-in: <c>POST /auth/sign-in</c> with a key (JSON <c>{"key": ...}</c> or a form field) opens a
/// session, <c>GET /auth/sign-in?key=</c> does the same from the link <c>amlfs up</c> prints and goes on to the
/// dashboard, <c>POST /auth/sign-out</c> ends it, <c>GET /auth/me</c> says who is signed in. A key of any role signs in;
/// what it may then see is its role's (the dashboard needs analyst or admin).
/// </summary>
internal static class AuthApi
{
    public static void MapAuthApi(this IEndpointRouteBuilder app, AuthSettings settings)
    {
        var auth = app.MapGroup("/auth").WithTags("Authentication").AllowAnonymous();
        auth.MapGet("/me", Me).WithName("SignedIn").WithSummary("Who the request is authenticated as: the key's name and role, or 401");
        if (!settings.Enabled)
            return;
        auth.MapPost("/sign-in", SignIn).WithName("SignIn")
            .WithSummary("Open a dashboard session with an API key; sets an HttpOnly session cookie and a CSRF cookie whose value state-changing requests echo in X-CSRF-Token")
            .ExcludeFromDescription();
        auth.MapGet("/sign-in", SignInLink).ExcludeFromDescription();
        auth.MapPost("/sign-out", SignOut).WithName("SignOut").WithSummary("End the dashboard session");
    }

    private static Results<Ok<SignedInResponse>, ProblemHttpResult> Me(HttpContext context, AuthSettings settings) =>
        !settings.Enabled
            ? TypedResults.Ok(new SignedInResponse("anonymous", ApiRole.Admin.Name(), AuthOff: true))
            : context.User.Identity?.IsAuthenticated == true
                ? TypedResults.Ok(new SignedInResponse(context.User.Identity.Name!, context.User.FindFirst(System.Security.Claims.ClaimTypes.Role)!.Value, AuthOff: false))
                : TypedResults.Problem("not signed in: sign in with an API key", statusCode: StatusCodes.Status401Unauthorized, title: "Authentication required");

    private static async Task<Results<Ok<SignedInResponse>, ProblemHttpResult>> SignIn(
        HttpContext context, ApiKeyRing keys, DashboardSessions sessions, AuthRejections rejections)
    {
        string? presented = null;
        if (context.Request.HasFormContentType)
        {
            presented = (await context.Request.ReadFormAsync(context.RequestAborted))["key"].ToString();
        }
        else
        {
            try
            {
                using var document = await System.Text.Json.JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
                presented = document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                    && document.RootElement.TryGetProperty("key", out var key) && key.ValueKind == System.Text.Json.JsonValueKind.String ? key.GetString() : null;
            }
            catch (System.Text.Json.JsonException)
            {
                presented = null;
            }
        }

        if (keys.Find(presented) is not { } record)
        {
            rejections.Record("unauthenticated", "");
            return TypedResults.Problem("the key is not valid: unknown, revoked or mistyped (send {\"key\": \"amlfs_...\"})",
                statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed");
        }

        Open(context, sessions, record);
        return TypedResults.Ok(new SignedInResponse(record.Name, record.Role.Name(), AuthOff: false));
    }

    private static Results<RedirectHttpResult, ProblemHttpResult> SignInLink(HttpContext context, ApiKeyRing keys, DashboardSessions sessions, AuthRejections rejections)
    {
        if (keys.Find(context.Request.Query["key"].ToString()) is not { } record)
        {
            rejections.Record("unauthenticated", "");
            return TypedResults.Problem("the sign-in link's key is not valid: unknown, revoked or mistyped", statusCode: StatusCodes.Status401Unauthorized,
                title: "Sign-in failed");
        }

        Open(context, sessions, record);
        return TypedResults.Redirect("/");
    }

    private static NoContent SignOut(HttpContext context, DashboardSessions sessions)
    {
        sessions.Close(context.Request.Cookies[DashboardSessions.Cookie]);
        context.Response.Cookies.Delete(DashboardSessions.Cookie);
        context.Response.Cookies.Delete(DashboardSessions.CsrfCookie);
        return TypedResults.NoContent();
    }

    private static void Open(HttpContext context, DashboardSessions sessions, ApiKeyRecord record)
    {
        var session = sessions.Open(record.Id);
        var secure = context.Request.IsHttps;
        context.Response.Cookies.Append(DashboardSessions.Cookie, session.Id,
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = secure, Path = "/", IsEssential = true });
        // Readable by the page's script, which echoes it in X-CSRF-Token: another site can make the browser send cookies, never read them.
        context.Response.Cookies.Append(DashboardSessions.CsrfCookie, session.Csrf,
            new CookieOptions { HttpOnly = false, SameSite = SameSiteMode.Strict, Secure = secure, Path = "/", IsEssential = true });
    }
}
