using System.Text;
using System.Text.Json;
using Amlfs.Security;
using Amlfs.Server;
using Amlfs.Server.Hosting;
using Amlfs.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Amlfs.Testing;

/// <summary>
/// An amlfs server running in this process on a free 127.0.0.1 port, with its own data directory and clock, and an
/// <see cref="HttpClient"/> that talks to it through the real socket.
/// </summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory? _ownedDirectory;

    private RunningServer(WebApplication app, TempDirectory? ownedDirectory, string dataDirectory, string? apiKey)
    {
        _app = app;
        _ownedDirectory = ownedDirectory;
        DataDirectory = dataDirectory;
        Address = AmlfsServer.Address(app);
        ApiKey = apiKey;
        Client = new HttpClient { BaseAddress = Address };
        if (apiKey is not null)
            Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
    }

    public Uri Address { get; }

    /// <summary>The admin key <see cref="Client"/> sends, when the server checks keys (<see cref="StartWithKeysAsync"/>).</summary>
    public string? ApiKey { get; }

    public HttpClient Client { get; }

    public string DataDirectory { get; }

    /// <summary>Transactions queued for ingest and not yet acknowledged.</summary>
    public long PendingIngest => Runtime.Pipeline.Pending;

    /// <summary>The embedded runtime; a replica has no ingest to inspect.</summary>
    private EmbeddedRuntime Runtime => (EmbeddedRuntime)_app.Services.GetRequiredService<AmlfsRuntime>();

    /// <summary>A service of the server's container, for tests of what the API does not expose yet.</summary>
    public T Service<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>Holds the ingest writer until the handle is disposed, so that the queue fills deterministically.</summary>
    public IDisposable PauseIngest() => Runtime.Pipeline.Pause();

    /// <summary>Starts a server; <paramref name="configure"/> adjusts the settings (port and data directory are set).</summary>
    public static async Task<RunningServer> StartAsync(
        TimeProvider? clock = null, string? dataDirectory = null, Func<ServerSettings, ServerSettings>? configure = null, Action<ILoggingBuilder>? logging = null)
    {
        var owned = dataDirectory is null ? new TempDirectory() : null;
        var directory = dataDirectory ?? owned!.Path;
        var settings = new ServerSettings { Port = 0, DataDirectory = directory, LogLevel = LogLevel.Warning, ShardCount = 2 };
        if (configure is not null)
            settings = configure(settings);
        var app = AmlfsServer.Build(settings, clock, logging);
        await app.StartAsync();
        return new RunningServer(app, owned, directory, apiKey: null);
    }

    /// <summary>
    /// Starts a server that checks API keys, as <c>amlfs serve</c> does by default, with an admin key in its data
    /// directory's key file that <see cref="Client"/> sends and <see cref="ApiKey"/> gives.
    /// </summary>
    public static async Task<RunningServer> StartWithKeysAsync(TimeProvider? clock = null, Func<ServerSettings, ServerSettings>? configure = null)
    {
        var owned = new TempDirectory();
        var store = new ApiKeyStore(ApiKeyStore.FileOf(owned.Path));
        var key = store.Create("test-admin", ApiRole.Admin).Key;
        var settings = new ServerSettings
        {
            Port = 0,
            DataDirectory = owned.Path,
            LogLevel = LogLevel.Warning,
            ShardCount = 2,
            Auth = new AuthSettings { KeysFile = store.File },
        };
        if (configure is not null)
            settings = configure(settings);
        var app = AmlfsServer.Build(settings, clock);
        await app.StartAsync();
        return new RunningServer(app, owned, owned.Path, key);
    }

    /// <summary>POSTs a JSON text with optional headers.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, string json, string? acceptLanguage = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (acceptLanguage is not null)
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        return Client.SendAsync(request);
    }

    /// <summary>POSTs and parses the answer, asserting nothing about the status.</summary>
    public async Task<(int Status, JsonElement Body)> PostJsonAsync(string path, string json, string? acceptLanguage = null)
    {
        using var response = await PostAsync(path, json, acceptLanguage);
        return ((int)response.StatusCode, await ReadAsync(response));
    }

    public async Task<(int Status, JsonElement Body)> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        return ((int)response.StatusCode, await ReadAsync(response));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _ownedDirectory?.Dispose();
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (text.Length == 0)
            return default;
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
