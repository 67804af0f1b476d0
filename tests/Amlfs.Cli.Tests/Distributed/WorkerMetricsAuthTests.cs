using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amlfs.Security;
using Amlfs.Testing;

namespace Amlfs.Cli.Tests.Distributed;

/// <summary>
/// A real <c>amlfs worker --metrics-auth</c> process (librdkafka's mock cluster, an in-process RESP server): its
/// <c>/metrics</c>, on a real port, takes a key of its key file as the server's does, and refuses the rest.
/// </summary>
[Trait("Category", "Process")]
public sealed class WorkerMetricsAuthTests : IDisposable
{
    private readonly WorkerRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task With_metrics_auth_a_scrape_needs_a_key_of_the_key_file_and_refusals_are_401_problems_that_are_counted()
    {
        var keysFile = Path.Combine(_rig.Data.Path, "shared-keys.json");
        var store = new ApiKeyStore(keysFile);
        var scraper = store.Create("prometheus", ApiRole.Ingest).Key; // any role, as the server's /metrics
        var revoked = store.Create("old-scraper", ApiRole.Admin).Key;
        store.Revoke("old-scraper");
        using var worker = await StartWorkerAsync("--metrics-auth", "--keys-file", keysFile);
        var metrics = await MetricsOfAsync(worker);
        Assert.Contains($"(needs a key of {keysFile}, where 1 work now)", worker.Output, StringComparison.Ordinal);
        using var client = new HttpClient();

        var (none, noneBody, challenge) = await ScrapeAsync(client, metrics, null);
        Assert.Equal(HttpStatusCode.Unauthorized, none);
        Assert.Equal("Bearer", challenge);
        var problem = JsonDocument.Parse(noneBody).RootElement;
        Assert.Equal(("Authentication required", 401), (problem.GetProperty("title").GetString(), problem.GetProperty("status").GetInt32()));
        Assert.Contains("send Authorization: Bearer <key> or X-API-Key: <key>", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        foreach (var refused in new[] { scraper[..^3] + "xyz", revoked })
        {
            var (status, body, _) = await ScrapeAsync(client, metrics, ("Authorization", "Bearer " + refused));
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.StartsWith("the API key is not valid", JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain(refused, body, StringComparison.Ordinal);
        }

        var (bearer, text, _) = await ScrapeAsync(client, metrics, ("Authorization", "Bearer " + scraper));
        var (header, _, _) = await ScrapeAsync(client, metrics, ("X-API-Key", scraper));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (bearer, header));
        Assert.Matches(new Regex("^amlfs_worker_partitions ", RegexOptions.Multiline), text);
        Assert.Matches(new Regex("^amlfs_auth_rejections_total\\{reason=\"unauthenticated\",key=\"\"\\} 3$", RegexOptions.Multiline), text);
        Assert.DoesNotContain(scraper, worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_keys_in_store_a_scrape_takes_a_key_of_the_online_store()
    {
        await using var store = await Amlfs.Redis.RedisApiKeyStore.ConnectAsync(_rig.RedisOptions);
        var scraper = store.Create("prometheus", ApiRole.Analyst).Key;
        using var worker = await StartWorkerAsync("--metrics-auth", "--keys-in-store");
        var metrics = await MetricsOfAsync(worker);
        using var client = new HttpClient();

        var (keyed, _, _) = await ScrapeAsync(client, metrics, ("Authorization", "Bearer " + scraper));
        var (none, _, _) = await ScrapeAsync(client, metrics, null);

        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"(needs a key of redis {_rig.Redis.Host}:{_rig.Redis.Port} amlfs:keys, where 1 work now)"), worker.Output, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Unauthorized), (keyed, none));
    }

    [Fact]
    public async Task Without_metrics_auth_the_metrics_stay_open_even_to_a_request_with_a_wrong_key()
    {
        using var worker = await StartWorkerAsync();
        var metrics = await MetricsOfAsync(worker);
        using var client = new HttpClient();

        var (open, text, _) = await ScrapeAsync(client, metrics, null);
        var (withKey, _, _) = await ScrapeAsync(client, metrics, ("X-API-Key", "amlfs_000000000000_wrong"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (open, withKey));
        Assert.Matches(new Regex("^amlfs_worker_partitions ", RegexOptions.Multiline), text);
        Assert.DoesNotContain("(needs a key of", worker.Output, StringComparison.Ordinal);
    }

    /// <summary>Starts a worker of a new topic, its metrics on a free port, with <paramref name="metricsAuth"/>.</summary>
    private Task<AmlfsProcess> StartWorkerAsync(params string[] metricsAuth) => AmlfsProcess.StartWorkerAsync(
        _rig.WorkerArgs(WorkerRig.NewTopic(), ["--data-dir", _rig.Data.Path, "--no-decisions", "--metrics-port", "0", .. metricsAuth]));

    /// <summary>Where the worker serves its metrics, once it says so.</summary>
    private static async Task<Uri> MetricsOfAsync(AmlfsProcess worker)
    {
        await worker.WaitForOutputAsync("worker: metrics at ", TimeSpan.FromSeconds(30));
        return new Uri(Regex.Match(worker.Output, @"worker: metrics at (\S+)").Groups[1].Value);
    }

    private static async Task<(HttpStatusCode Status, string Body, string? Challenge)> ScrapeAsync(HttpClient client, Uri metrics, (string Name, string Value)? header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, metrics);
        if (header is { } h)
            request.Headers.TryAddWithoutValidation(h.Name, h.Value);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.WwwAuthenticate.FirstOrDefault()?.Scheme);
    }
}
