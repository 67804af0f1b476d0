using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amlfs.Server.Contracts;
using HdrHistogram;

namespace Amlfs.Cli.Bench;

/// <summary>
/// Freshness: the time from the moment a transaction is handed over (<c>POST /transactions</c> acknowledged it, or
/// it went to the Kafka client) to the moment <c>GET /features/{customer}</c> (as of now) counts it. Each sample uses
/// a new customer, so the first read that shows <c>txn_count_60s</c> = 1 is the one that sees the event. Windows are
/// half-open, so an event stamped in the current millisecond becomes visible when the server's clock reaches the next
/// one: that wait is part of the figure.
/// </summary>
internal static class FreshnessBench
{
    private const long MaxMicroseconds = 60_000_000;

    /// <summary>
    /// Measures a server that ingests over HTTP: the clock starts when <c>POST /transactions</c> acknowledges. With
    /// <paramref name="apiKey"/> (ingest and analyst, so admin) when the server checks keys.
    /// </summary>
    public static async Task<FreshnessResult> RunAsync(Uri server, string? apiKey, int samples, int warmup, CancellationToken cancellationToken)
    {
        using var client = Client(server, apiKey);
        return await RunAsync(server, apiKey, samples, warmup, (customer, token) => PostAsync(client, customer, token), cancellationToken);
    }

    /// <summary>
    /// Measures with <paramref name="send"/> handing each sample's transaction (of the customer given) over; the clock
    /// starts when it returns.
    /// </summary>
    public static async Task<FreshnessResult> RunAsync(
        Uri server, string? apiKey, int samples, int warmup, Func<string, CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        using var client = Client(server, apiKey);
        var run = DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
        var histogram = new LongHistogram(MaxMicroseconds, 3);
        long reads = 0;
        for (var i = 0; i < warmup + samples; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var customer = string.Create(CultureInfo.InvariantCulture, $"FRESH_{run}_{i:D6}");
            await send(customer, cancellationToken);
            var acknowledged = Stopwatch.GetTimestamp();
            var path = new Uri("/features/" + customer, UriKind.Relative);
            while (true)
            {
                reads++;
                using var response = await client.GetAsync(path, cancellationToken);
                response.EnsureSuccessStatusCode();
                var read = await response.Content.ReadFromJsonAsync(AmlfsJsonContext.Default.FeaturesResponse, cancellationToken);
                if (read!.Features["txn_count_60s"] >= 1)
                    break;
                if (Stopwatch.GetElapsedTime(acknowledged).TotalSeconds > 10)
                    throw new InvalidOperationException($"transaction of {customer} not visible 10 s after its acknowledgement");
            }

            if (i >= warmup)
                histogram.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(acknowledged).TotalMicroseconds));
        }

        return new FreshnessResult(samples, reads, histogram);
    }

    /// <summary>One keep-alive connection to <paramref name="server"/>, sending <paramref name="apiKey"/> if given.</summary>
    private static HttpClient Client(Uri server, string? apiKey)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, UseProxy = false })
        {
            BaseAddress = server,
            DefaultRequestVersion = HttpVersion.Version11,
        };
        if (apiKey is not null)
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    private static async Task PostAsync(HttpClient client, string customer, CancellationToken cancellationToken)
    {
        var transaction = new TransactionRequest { TransactionId = customer + "_T", CustomerId = customer, MerchantId = "MERCH_FRESH", Amount = 12.34m };
        using var response = await client.PostAsJsonAsync(new Uri("/transactions", UriKind.Relative), transaction, AmlfsJsonContext.Default.TransactionRequest, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new HttpRequestException($"POST /transactions answered {(int)response.StatusCode}: {text}", null, response.StatusCode);
        if (!response.IsSuccessStatusCode || JsonSerializer.Deserialize(text, AmlfsJsonContext.Default.IngestResponse) is not { Accepted: 1 })
            throw new InvalidOperationException($"POST /transactions answered {(int)response.StatusCode}: {text}");
    }
}
