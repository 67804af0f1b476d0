using System.Net;
using System.Text;
using Amlfs.Security;
using Amlfs.Server.Security;
using Amlfs.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Tests;

/// <summary>API keys and roles on a real server: every route's role, sign-in, CSRF, rate limits, and keys kept out of logs and metrics.</summary>
public sealed class AuthTests
{
    /// <summary>
    /// Every route of the API with a request that reaches it and the role it needs (null: open to everyone). A route
    /// added without an entry here fails <see cref="Every_route_answers_401_without_a_valid_key_403_to_the_wrong_role_and_serves_the_right_one"/>.
    /// </summary>
    private static readonly (string Method, string Pattern, string Path, string? Body, ApiRole? Role)[] Routes =
    [
        ("POST", "/transactions", "/transactions", """{"customer_id":"C1","merchant_id":"M1","amount":10.5}""", ApiRole.Ingest),
        ("POST", "/predict", "/predict", """{"customer_id":"C1","merchant_id":"M1","amount":10.5}""", ApiRole.Score),
        ("POST", "/batch-predict", "/batch-predict", """[{"customer_id":"C1","merchant_id":"M1","amount":10.5}]""", ApiRole.Score),
        ("GET", "/features/{customer_id}", "/features/C1", null, ApiRole.Analyst),
        ("GET", "/features/merchant/{merchant_id}", "/features/merchant/M1", null, ApiRole.Analyst),
        ("GET", "/features/{entity}/{entity_id}", "/features/customer/C1", null, ApiRole.Analyst),
        ("GET", "/registry/features", "/registry/features", null, ApiRole.Admin),
        ("GET", "/health", "/health", null, null),
        ("GET", "/metrics", "/metrics", null, null),
        ("GET", "/", "/", null, null),
        ("GET", "/dashboard", "/dashboard", null, null),
        ("GET", "/dashboard/assets/{**path}", "/dashboard/assets/app.js", null, null),
        ("GET", "/dashboard/api/info", "/dashboard/api/info", null, ApiRole.Analyst),
        ("GET", "/dashboard/api/overview", "/dashboard/api/overview", null, ApiRole.Analyst),
        ("GET", "/dashboard/api/stream", "/dashboard/api/stream", null, ApiRole.Analyst),
        ("GET", "/dashboard/api/alerts", "/dashboard/api/alerts", null, ApiRole.Analyst),
        ("GET", "/dashboard/api/decisions/{transaction_id}", "/dashboard/api/decisions/T1", null, ApiRole.Analyst),
        ("GET", "/dashboard/api/entities/{entity}/{entity_id}", "/dashboard/api/entities/customer/C1", null, ApiRole.Analyst),
        ("GET", "/dashboard/api/entities/{entity}/{entity_id}/series", "/dashboard/api/entities/customer/C1/series", null, ApiRole.Analyst),
        ("GET", "/dashboard/api/model", "/dashboard/api/model", null, ApiRole.Analyst),
        ("GET", "/dashboard/api/model/report", "/dashboard/api/model/report", null, ApiRole.Analyst),
        ("GET", "/openapi/v1.json", "/openapi/v1.json", null, null),
        ("GET", "/cases/", "/cases", null, ApiRole.Analyst),
        ("GET", "/cases/{id}", "/cases/CASE-000001", null, ApiRole.Analyst),
        ("POST", "/cases/{id}/transitions", "/cases/CASE-000001/transitions", """{"to":"investigating"}""", ApiRole.Analyst),
        ("POST", "/cases/{id}/notes", "/cases/CASE-000001/notes", """{"text":"looked"}""", ApiRole.Analyst),
        ("POST", "/cases/{id}/assignment", "/cases/CASE-000001/assignment", """{"assignee":"ana"}""", ApiRole.Analyst),
    ];

    /// <summary>The sign-in routes: open to everyone, they answer who the caller is or whether its key signs in (401 when not).</summary>
    private static readonly (string Method, string Pattern)[] SignInRoutes =
        [("GET", "/auth/me"), ("POST", "/auth/sign-in"), ("GET", "/auth/sign-in"), ("POST", "/auth/sign-out")];

    [Fact]
    public async Task Every_route_answers_401_without_a_valid_key_403_to_the_wrong_role_and_serves_the_right_one()
    {
        using var directory = new TempDirectory();
        var store = new ApiKeyStore(ApiKeyStore.FileOf(directory.Path));
        var keys = ApiRoles.All.ToDictionary(r => r, r => store.Create("k-" + r.Name(), r).Key);
        var revoked = store.Create("gone", ApiRole.Admin).Key;
        store.Revoke("gone");
        await using var server = await RunningServer.StartAsync(dataDirectory: directory.Path, configure: s => s with { Auth = new AuthSettings { KeysFile = store.File } });

        var mapped = server.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .ToHashSet();
        Assert.Equal(mapped.Order(), Routes.Select(r => (r.Method, r.Pattern)).Concat(SignInRoutes).ToHashSet().Order());
        Assert.Equal(200, await SendAsync(server, "GET", "/auth/me", null, keys[ApiRole.Score]));
        Assert.Equal(401, await SendAsync(server, "GET", "/auth/me", null, revoked));
        // The Swagger UI is middleware, not a route: open like the document it shows; a path that matches nothing needs an admin key.
        Assert.Equal(200, await SendAsync(server, "GET", "/docs/index.html", null, null));
        Assert.Equal(401, await SendAsync(server, "GET", "/no-such-route", null, null));
        Assert.Equal(404, await SendAsync(server, "GET", "/no-such-route", null, keys[ApiRole.Admin]));

        var failures = new List<string>();
        foreach (var route in Routes)
        {
            foreach (var (who, key) in new (string, string?)[] { ("no key", null), ("a revoked key", revoked), ("a malformed key", "amlfs_nonsense") }
                .Concat(keys.Select(k => (k.Key.Name(), (string?)k.Value))))
            {
                var role = ApiRoles.Parse(who);
                var expected = route.Role is null ? "served"
                    : role is null ? "401"
                    : role.Value.Allows(route.Role.Value) ? "served" : "403";
                var status = await SendAsync(server, route.Method, route.Path, route.Body, key);
                var actual = status is 401 or 403 ? status.ToString(System.Globalization.CultureInfo.InvariantCulture) : "served";
                if (actual != expected)
                    failures.Add($"{route.Method} {route.Path} with {who}: expected {expected}, got {status}");
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task Refusals_are_problems_that_say_what_to_send_and_are_counted_by_key_name_never_by_key()
    {
        using var directory = new TempDirectory();
        var store = new ApiKeyStore(ApiKeyStore.FileOf(directory.Path));
        var feeder = store.Create("feeder", ApiRole.Ingest).Key;
        var admin = store.Create("ops", ApiRole.Admin).Key;
        var logs = new LineLogger();
        await using var server = await RunningServer.StartAsync(
            dataDirectory: directory.Path,
            configure: s => s with { Auth = new AuthSettings { KeysFile = store.File }, LogLevel = LogLevel.Trace },
            logging: l => l.AddProvider(new LineLoggerProvider(logs)).SetMinimumLevel(LogLevel.Trace));

        using var unauthenticated = await server.Client.SendAsync(Request("POST", "/predict", """{"customer_id":"C1","merchant_id":"M1","amount":1}""", null));
        using var forbidden = await server.Client.SendAsync(Request("POST", "/predict", """{"customer_id":"C1","merchant_id":"M1","amount":1}""", feeder));
        using var wrong = await server.Client.SendAsync(Request("GET", "/features/C1", null, admin[..^2] + "zz"));
        var metrics = await (await server.Client.SendAsync(Request("GET", "/metrics", null, null))).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Equal("application/problem+json", unauthenticated.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Authorization: Bearer", await unauthenticated.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("the key 'feeder' has the role 'ingest'; POST /predict needs 'score' or 'admin'", await forbidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("not valid", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("amlfs_auth_rejections_total{reason=\"forbidden\",key=\"feeder\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("amlfs_auth_rejections_total{reason=\"unauthenticated\",key=\"\"} 2", metrics, StringComparison.Ordinal);
        foreach (var key in new[] { feeder, admin, admin[..^2] + "zz" })
        {
            var secret = key[(ApiKeyStore.Prefix.Length + 13)..];
            Assert.DoesNotContain(secret, metrics, StringComparison.Ordinal);
            Assert.DoesNotContain(logs.Messages, m => m.Contains(secret, StringComparison.Ordinal));
        }

        Assert.NotEmpty(logs.Messages);
    }

    [Fact]
    public async Task A_key_created_or_revoked_while_the_server_runs_takes_effect_without_a_restart()
    {
        using var directory = new TempDirectory();
        var store = new ApiKeyStore(ApiKeyStore.FileOf(directory.Path));
        await using var server = await RunningServer.StartAsync(dataDirectory: directory.Path, configure: s => s with { Auth = new AuthSettings { KeysFile = store.File } });
        Assert.Equal(401, await SendAsync(server, "GET", "/features/C1", null, null));

        var key = store.Create("late", ApiRole.Analyst).Key;
        Assert.True(await EventuallyAsync(async () => await SendAsync(server, "GET", "/features/C1", null, key) is not (401 or 403)), "a new key was not taken");
        store.Revoke("late");
        Assert.True(await EventuallyAsync(async () => await SendAsync(server, "GET", "/features/C1", null, key) == 401), "a revoked key still worked");
    }

    [Fact]
    public async Task A_dashboard_session_is_an_HttpOnly_cookie_and_a_state_change_through_it_needs_the_csrf_token()
    {
        using var directory = new TempDirectory();
        var store = new ApiKeyStore(ApiKeyStore.FileOf(directory.Path));
        var analyst = store.Create("ana", ApiRole.Analyst).Key;
        var admin = store.Create("root", ApiRole.Admin).Key;
        await using var server = await RunningServer.StartAsync(dataDirectory: directory.Path, configure: s => s with { Auth = new AuthSettings { KeysFile = store.File } });
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = server.Address };

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsync("/auth/sign-in", Json("""{"key":"amlfs_000000000000_nope"}"""))).StatusCode);
        using var signedIn = await browser.PostAsync("/auth/sign-in", Json($$"""{"key":"{{analyst}}"}"""));
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var setCookies = signedIn.Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains(setCookies, c => c.StartsWith(DashboardSessions.Cookie + "=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase)
            && c.Contains("samesite=strict", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(setCookies, c => c.Contains(analyst, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/dashboard/api/info")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.PostAsync("/predict", Json("""{"customer_id":"C1","merchant_id":"M1","amount":1}"""))).StatusCode);

        // An admin's session may change state, with the token its cookie carries and not without it.
        await browser.PostAsync("/auth/sign-out", Json("{}"));
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync("/auth/sign-in", Json($$"""{"key":"{{admin}}"}"""))).StatusCode);
        var csrf = cookies.GetCookies(server.Address)[DashboardSessions.CsrfCookie]!.Value;
        using var withoutToken = await browser.PostAsync("/transactions", Json("""{"customer_id":"C1","merchant_id":"M1","amount":1}"""));
        Assert.Equal(HttpStatusCode.Forbidden, withoutToken.StatusCode);
        Assert.Contains("CSRF", await withoutToken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var withToken = new HttpRequestMessage(HttpMethod.Post, "/transactions") { Content = Json("""{"customer_id":"C1","merchant_id":"M1","amount":1}""") };
        withToken.Headers.Add(DashboardSessions.CsrfHeader, csrf);
        using var accepted = await browser.SendAsync(withToken);
        Assert.True(accepted.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized), await accepted.Content.ReadAsStringAsync());

        // Revoking the key ends its sessions.
        store.Revoke("root");
        Assert.True(await EventuallyAsync(async () => (await browser.GetAsync("/dashboard/api/info")).StatusCode == HttpStatusCode.Unauthorized));
    }

    [Fact]
    public async Task A_key_past_its_roles_rate_gets_429_with_Retry_After_and_counts_by_name()
    {
        using var directory = new TempDirectory();
        var store = new ApiKeyStore(ApiKeyStore.FileOf(directory.Path));
        var analyst = store.Create("busy", ApiRole.Analyst).Key;
        var other = store.Create("calm", ApiRole.Analyst).Key;
        var limits = new Dictionary<ApiRole, int> { [ApiRole.Analyst] = 3 };
        await using var server = await RunningServer.StartAsync(dataDirectory: directory.Path,
            configure: s => s with { Auth = new AuthSettings { KeysFile = store.File, RateLimits = limits } });

        var statuses = new List<int>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 20 && limited is null; i++)
        {
            var response = await server.Client.SendAsync(Request("GET", "/features/C1", null, analyst));
            statuses.Add((int)response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                limited = response;
        }

        Assert.NotNull(limited);
        Assert.True(statuses.Count >= 4, string.Join(", ", statuses));
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Contains("'busy'", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEqual(429, await SendAsync(server, "GET", "/features/C1", null, other));
        var metrics = await (await server.Client.GetAsync(new Uri("/metrics", UriKind.Relative))).Content.ReadAsStringAsync();
        Assert.Contains("amlfs_auth_rejections_total{reason=\"rate_limited\",key=\"busy\"}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_can_need_a_key_and_health_never_does()
    {
        using var directory = new TempDirectory();
        var store = new ApiKeyStore(ApiKeyStore.FileOf(directory.Path));
        var key = store.Create("scraper", ApiRole.Ingest).Key;
        await using var server = await RunningServer.StartAsync(dataDirectory: directory.Path,
            configure: s => s with { Auth = new AuthSettings { KeysFile = store.File, MetricsNeedKey = true } });

        Assert.Equal(401, await SendAsync(server, "GET", "/metrics", null, null));
        Assert.Equal(200, await SendAsync(server, "GET", "/metrics", null, key));
        Assert.Equal(200, await SendAsync(server, "GET", "/health", null, null));
    }

    private static async Task<int> SendAsync(RunningServer server, string method, string path, string? body, string? key)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // The dashboard's stream never ends: its status is all that is read.
        using var response = await server.Client.SendAsync(Request(method, path, body, key), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        return (int)response.StatusCode;
    }

    private static HttpRequestMessage Request(string method, string path, string? body, string? key)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
            request.Content = Json(body);
        if (key is not null)
        {
            // Both ways of presenting a key, alternately.
            if (key.Length % 2 == 0)
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            else
                request.Headers.Add("X-API-Key", key);
        }

        return request;
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition())
                return true;
            await Task.Delay(50);
        }

        return false;
    }
}
