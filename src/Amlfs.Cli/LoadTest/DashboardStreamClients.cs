using System.Net;

namespace Amlfs.Cli.LoadTest;

/// <summary>
/// Clients of the dashboard's live stream (<c>GET /dashboard/api/stream</c>, server-sent events, one event a second),
/// opened part-way through a load test: each reads its events as an open page does, until the run ends. The change in
/// <c>/predict</c>'s requests per second once they are open is what the dashboard costs.
/// </summary>
internal sealed class DashboardStreamClients : IAsyncDisposable
{
    /// <summary>The stream's path below the server's base URL.</summary>
    public const string StreamPath = "dashboard/api/stream";

    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<StreamClientResult>[] _clients;

    private DashboardStreamClients(Uri server, string? apiKey, int count)
    {
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = count }) { Timeout = Timeout.InfiniteTimeSpan };
        if (apiKey is not null)
            _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        var url = new Uri(server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/"), StreamPath);
        _clients = [.. Enumerable.Range(0, count).Select(_ => Task.Run(() => ReadAsync(url, _stop.Token)))];
    }

    /// <summary>
    /// Opens <paramref name="count"/> clients of the stream of the server at <paramref name="server"/>, with
    /// <paramref name="apiKey"/> (analyst or admin) when the server checks keys.
    /// </summary>
    public static DashboardStreamClients Open(Uri server, string? apiKey, int count)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return new DashboardStreamClients(server, apiKey, count);
    }

    /// <summary>Closes every stream and returns what each received.</summary>
    public async Task<IReadOnlyList<StreamClientResult>> StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        return await Task.WhenAll(_clients).ConfigureAwait(false);
    }

    /// <summary>Closes every stream (if <see cref="StopAsync"/> has not) and releases the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _http.Dispose();
        _stop.Dispose();
    }

    /// <summary>Reads events until stopped: each <c>data:</c> line is one event (the stream sends one line of JSON per event).</summary>
    private async Task<StreamClientResult> ReadAsync(Uri url, CancellationToken stop)
    {
        long events = 0;
        long bytes = 0;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd("text/event-stream");
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
                return new StreamClientResult(0, 0, $"http_{(int)response.StatusCode}");
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop).ConfigureAwait(false));
            while (await reader.ReadLineAsync(stop).ConfigureAwait(false) is { } line)
            {
                bytes += line.Length + 1;
                if (line.StartsWith("data:", StringComparison.Ordinal))
                    events++;
            }

            return new StreamClientResult(events, bytes, stop.IsCancellationRequested ? null : "the server ended the stream");
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return new StreamClientResult(events, bytes, null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return new StreamClientResult(events, bytes, stop.IsCancellationRequested ? null : e.Message);
        }
    }
}
