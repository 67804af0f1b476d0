using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Amlfs.Server.Contracts;

namespace Amlfs.Cli.Produce;

/// <summary>
/// The amlfs server's HTTP API as <c>produce</c> uses it: one <see cref="HttpClient"/> over one
/// <see cref="SocketsHttpHandler"/>, so batches reuse keep-alive connections. A full ingest queue (429 or 503) is
/// waited out on the injected clock for as long as <c>Retry-After</c> asks, and the same batch is sent again: ingest is
/// idempotent by transaction id, so a retry never counts a transaction twice. Bodies are read with the server's own
/// contracts (<see cref="AmlfsJsonContext"/>).
/// </summary>
internal sealed class AmlfsClient : IDisposable
{
    /// <summary>How long to wait when a busy server does not say.</summary>
    public static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromSeconds(1);

    // A server asking for longer than this is waited for this long and asked again, so Ctrl-C is never far away.
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MinRetryDelay = TimeSpan.FromMilliseconds(50);

    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    private readonly HttpClient _http;
    private readonly TimeProvider _clock;

    public AmlfsClient(Uri baseUrl, string? apiKey, TimeProvider clock)
    {
        BaseUrl = baseUrl;
        _clock = clock;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            UseProxy = false,
        };
        _http = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    }

    public Uri BaseUrl { get; }

    /// <summary>
    /// The server's <c>GET /health</c> status code and its <c>status</c> field. Throws <see cref="HttpRequestException"/>
    /// when the server cannot be reached.
    /// </summary>
    public async Task<(int StatusCode, string? Status)> HealthAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri("health", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        string? status = null;
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            status = JsonSerializer.Deserialize(body, AmlfsJsonContext.Default.HealthResponse)?.Status;
        }
        catch (JsonException)
        {
            // Not the health of an amlfs server: the caller reports the status code alone.
        }

        return ((int)response.StatusCode, status);
    }

    /// <summary>
    /// Posts one batch (a JSON array) and returns the server's verdicts. While the server answers 429 or 503, waits as
    /// long as its <c>Retry-After</c> says (telling <paramref name="onRetry"/> first) and sends the same bytes again.
    /// </summary>
    /// <exception cref="AmlfsServerException">The server refused the batch with another status.</exception>
    public async Task<IngestResponse> PostTransactionsAsync(byte[] batch, Action<int, TimeSpan> onRetry, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var response = await PostAsync("transactions", batch, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
            {
                var delay = RetryDelay(response.Headers.RetryAfter);
                onRetry((int)response.StatusCode, delay);
                await Task.Delay(delay, _clock, cancellationToken).ConfigureAwait(false);
                continue;
            }

            return await ReadAsync(response, "POST /transactions", AmlfsJsonContext.Default.IngestResponse, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Scores one transaction (a JSON object).</summary>
    /// <exception cref="AmlfsServerException">The server did not answer 200 with a prediction.</exception>
    public async Task<PredictResponse> PredictAsync(byte[] transaction, CancellationToken cancellationToken)
    {
        using var response = await PostAsync("predict", transaction, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, "POST /predict", AmlfsJsonContext.Default.PredictResponse, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> PostAsync(string path, byte[] body, CancellationToken cancellationToken)
    {
        // ByteArrayContent gives a Content-Length, so the request is not chunked.
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = JsonType;
        return await _http.PostAsync(new Uri(path, UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
    }

    private TimeSpan RetryDelay(RetryConditionHeaderValue? retryAfter)
    {
        var delay = retryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - _clock.GetUtcNow(),
            _ => DefaultRetryDelay,
        };
        return delay < MinRetryDelay ? MinRetryDelay : delay > MaxRetryDelay ? MaxRetryDelay : delay;
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, string request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var hint = response.StatusCode == HttpStatusCode.Unauthorized
                ? $" (give a key with --api-key or {Commands.ApiKeyOption.EnvironmentVariable})"
                : "";
            throw new AmlfsServerException($"{request} answered {(int)response.StatusCode} {response.ReasonPhrase}{ProblemText(body)}{hint}");
        }

        try
        {
            return JsonSerializer.Deserialize(body, type)
                ?? throw new AmlfsServerException($"{request} answered 200 with an empty body");
        }
        catch (JsonException e)
        {
            throw new AmlfsServerException($"{request} answered 200 with a body that is not the expected JSON: {e.Message}");
        }
    }

    /// <summary>The title, detail and field errors of an RFC 7807 problem body, or the start of any other body.</summary>
    private static string ProblemText(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
            return "";
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return ": " + Shorten(body);
            var parts = new List<string>();
            foreach (var name in (string[])["title", "detail"])
            {
                if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                    parts.Add(value.GetString()!);
            }

            if (root.TryGetProperty("errors", out var errors))
                parts.Add(errors.GetRawText());
            return parts.Count == 0 ? ": " + Shorten(body) : ": " + string.Join("; ", parts);
        }
        catch (JsonException)
        {
            return ": " + Shorten(body);
        }
    }

    private static string Shorten(string text) =>
        text.Length <= 300 ? text : string.Create(CultureInfo.InvariantCulture, $"{text[..300]}... ({text.Length} characters)");
}
