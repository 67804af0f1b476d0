using System.Globalization;
using System.Net;
using System.Text.Json;
using Amlfs.OnlineStore;
using Amlfs.Testing;

namespace Amlfs.Server.Tests;

/// <summary>
/// The dashboard's HTTP side on a real server and port: its page and files, the live stream of per-second samples,
/// the alert list and its filters, a decision in full, an entity as of an earlier instant, and a replica that has no
/// decisions to show.
/// </summary>
public sealed class DashboardApiTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task The_page_and_its_files_are_served_from_the_process_with_cache_headers()
    {
        await using var server = await RunningServer.StartAsync();

        using var page = await server.Client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-cache", page.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("/dashboard/assets/vendor/uplot-1.6.32/uPlot.iife.min.js", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal); // nothing from a network

        using var again = new HttpRequestMessage(HttpMethod.Get, "/");
        again.Headers.IfNoneMatch.Add(page.Headers.ETag!);
        using var notModified = await server.Client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var library = await server.Client.GetAsync(new Uri("/dashboard/assets/vendor/uplot-1.6.32/uPlot.iife.min.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, library.StatusCode);
        Assert.Equal("text/javascript", library.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", library.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        using var licence = await server.Client.GetAsync(new Uri("/dashboard/assets/vendor/uplot-1.6.32/LICENSE", UriKind.Relative));
        Assert.Contains("MIT License", await licence.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var missing = await server.Client.GetAsync(new Uri("/dashboard/assets/nothing.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task The_stream_sends_a_sample_every_second_whose_totals_follow_ingest()
    {
        await using var server = await RunningServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/api/stream");
        using var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var first = await NextUpdateAsync(reader);
        var now = DateTimeOffset.UtcNow;
        var items = Enumerable.Range(0, 30).Select(i => SuspiciousBurst.Item("S" + i, "CUST_S", 10m + i, now.AddSeconds(-40 + i), "MERCH_1", "10.0.0.1"));
        var (status, _) = await server.PostJsonAsync("/transactions", JsonSerializer.Serialize(items));
        Assert.Equal(200, status);

        JsonElement update;
        var seen = new List<long> { first.GetProperty("sample").GetProperty("t").GetInt64() };
        using var timeout = new CancellationTokenSource(Patience);
        do
        {
            update = await NextUpdateAsync(reader, timeout.Token);
            seen.Add(update.GetProperty("sample").GetProperty("t").GetInt64());
        }
        while (update.GetProperty("totals").GetProperty("decisions").GetInt64() < 30);

        Assert.Equal(30, update.GetProperty("totals").GetProperty("accepted").GetInt64());
        Assert.Equal(seen.Order(), seen); // one sample after another
        Assert.Equal("healthy", update.GetProperty("health").GetProperty("engine").GetString());
        Assert.Equal("rules-1", update.GetProperty("model_version").GetString());

        // A page opened now gets the same seconds as history, whose per-second counts add up to the total.
        var (historyStatus, history) = await server.GetJsonAsync("/dashboard/api/overview?seconds=600");
        Assert.Equal(200, historyStatus);
        Assert.Equal(1, history.GetProperty("step_seconds").GetInt32());
        Assert.Equal(30, history.GetProperty("accepted").EnumerateArray().Sum(v => v.ValueKind == JsonValueKind.Null ? 0 : v.GetDouble()));
        Assert.Equal(history.GetProperty("t").GetArrayLength(), history.GetProperty("predict_p99_ms").GetArrayLength());
        Assert.Equal(400, (await server.GetJsonAsync("/dashboard/api/overview?seconds=99999")).Status);
    }

    [Fact]
    public async Task The_alert_list_filters_by_level_signal_and_model()
    {
        await using var server = await RunningServer.StartAsync();
        var (burst, alertId) = SuspiciousBurst.For("CUST_A", DateTimeOffset.UtcNow);
        Assert.Equal(200, (await server.PostJsonAsync("/transactions", burst)).Status);
        await WaitForDecisionsAsync(server, 13);

        var (_, high) = await server.GetJsonAsync("/dashboard/api/alerts");
        var alert = Items(high).Single(i => i.GetProperty("transaction_id").GetString() == alertId);
        Assert.Equal("HIGH", alert.GetProperty("level").GetString());
        Assert.Equal("amount", alert.GetProperty("signal").GetString()); // R$ 12,500 is the rule that adds the most
        Assert.All(Items(high), i => Assert.Equal("HIGH", i.GetProperty("level").GetString()));
        Assert.Contains("amount", high.GetProperty("signals").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["rules-1"], high.GetProperty("model_versions").EnumerateArray().Select(s => s.GetString()));

        var (_, all) = await server.GetJsonAsync("/dashboard/api/alerts?level=all");
        Assert.Equal(13, Items(all).Count);
        Assert.Equal(alertId, Items(all)[0].GetProperty("transaction_id").GetString()); // newest first
        var (_, low) = await server.GetJsonAsync("/dashboard/api/alerts?level=LOW");
        Assert.DoesNotContain(Items(low), i => i.GetProperty("transaction_id").GetString() == alertId);
        Assert.All(Items(low), i => Assert.Equal("LOW", i.GetProperty("level").GetString()));
        var (_, bySignal) = await server.GetJsonAsync("/dashboard/api/alerts?signal=amount");
        Assert.Contains(Items(bySignal), i => i.GetProperty("transaction_id").GetString() == alertId);
        Assert.Empty(Items((await server.GetJsonAsync("/dashboard/api/alerts?signal=graph")).Body));
        Assert.NotEmpty(Items((await server.GetJsonAsync("/dashboard/api/alerts?model=rules-1")).Body));
        Assert.Empty(Items((await server.GetJsonAsync("/dashboard/api/alerts?model=gbt-7")).Body));
        Assert.Single(Items((await server.GetJsonAsync("/dashboard/api/alerts?level=all&limit=1")).Body));
        Assert.Equal(400, (await server.GetJsonAsync("/dashboard/api/alerts?level=SEVERE")).Status);
    }

    [Fact]
    public async Task A_decision_shows_its_transaction_its_explanation_and_its_features_as_of_its_time()
    {
        await using var server = await RunningServer.StartAsync();
        var (burst, alertId) = SuspiciousBurst.For("CUST_D", DateTimeOffset.UtcNow);
        Assert.Equal(200, (await server.PostJsonAsync("/transactions", burst)).Status);
        await WaitForDecisionsAsync(server, 13);

        var (status, detail) = await server.GetJsonAsync($"/dashboard/api/decisions/{alertId}");
        Assert.Equal(200, status);
        Assert.Equal("stored", detail.GetProperty("explanation_source").GetString());
        Assert.Equal("177.20.9.99", detail.GetProperty("transaction").GetProperty("ip_address").GetString());
        var contributions = detail.GetProperty("contributions").EnumerateArray().Select(c => c.GetProperty("contribution").GetDouble()).ToArray();
        Assert.True(contributions.Length >= 2);
        Assert.Equal(contributions.OrderByDescending(Math.Abs), contributions);
        Assert.Contains(detail.GetProperty("contributions").EnumerateArray(), c => c.GetProperty("feature").GetString() == "unique_ips_1h");
        // The features it used: the customer's before the alerting payment (twelve in the hour, five IPs).
        var customer = detail.GetProperty("customer_features");
        Assert.Equal(12, customer.GetProperty("features").GetProperty("txn_count_1h").GetDouble());
        Assert.Equal(5, customer.GetProperty("features").GetProperty("unique_ips_1h").GetDouble());
        Assert.Equal("MERCH_9", detail.GetProperty("destination_features").GetProperty("entity_id").GetString());

        // A decision that did not alert kept no explanation: it is recomputed with the same model.
        var (_, low) = await server.GetJsonAsync("/dashboard/api/alerts?level=LOW&limit=1");
        var quiet = Items(low)[0].GetProperty("transaction_id").GetString();
        var (_, recomputed) = await server.GetJsonAsync($"/dashboard/api/decisions/{quiet}");
        Assert.Equal("recomputed", recomputed.GetProperty("explanation_source").GetString());

        Assert.Equal(404, (await server.GetJsonAsync("/dashboard/api/decisions/no-such-transaction")).Status);
    }

    [Fact]
    public async Task The_entity_page_reads_features_now_and_as_of_an_earlier_instant()
    {
        await using var server = await RunningServer.StartAsync();
        var now = DateTimeOffset.UtcNow;
        var items = Enumerable.Range(0, 6).Select(i => SuspiciousBurst.Item(
            "E" + i, "CUST_E", 100m, now.AddMinutes(i < 2 ? -20 : -3).AddSeconds(i), "MERCH_" + (i % 2), "10.0.0." + i));
        Assert.Equal(200, (await server.PostJsonAsync("/transactions", JsonSerializer.Serialize(items))).Status);
        await WaitForDecisionsAsync(server, 6);
        var at = Uri.EscapeDataString(now.AddMinutes(-10).ToString("O", CultureInfo.InvariantCulture));

        var (status, entity) = await server.GetJsonAsync($"/dashboard/api/entities/customer/CUST_E?at={at}");
        Assert.Equal(200, status);
        Assert.Equal(6, entity.GetProperty("now").GetProperty("features").GetProperty("txn_count_1h").GetDouble());
        Assert.Equal(2, entity.GetProperty("at").GetProperty("features").GetProperty("txn_count_1h").GetDouble());
        Assert.Equal(6, entity.GetProperty("recent").GetArrayLength());
        var counterparties = entity.GetProperty("counterparties").EnumerateArray().ToArray();
        Assert.Equal(["MERCH_0", "MERCH_1"], counterparties.Select(c => c.GetProperty("id").GetString()).Order());
        Assert.All(counterparties, c => Assert.Equal(3, c.GetProperty("transactions").GetInt32()));
        Assert.Contains(entity.GetProperty("features").EnumerateArray(), f => f.GetProperty("name").GetString() == "txn_count_1h" && f.GetProperty("family").GetString() == "velocity");

        var (_, merchant) = await server.GetJsonAsync("/dashboard/api/entities/merchant/MERCH_0");
        Assert.Equal([("CUST_E", "in")], merchant.GetProperty("counterparties").EnumerateArray().Select(c => (c.GetProperty("id").GetString(), c.GetProperty("direction").GetString())));

        var tooOld = Uri.EscapeDataString(now.AddDays(-3).ToString("O", CultureInfo.InvariantCulture));
        var (_, old) = await server.GetJsonAsync($"/dashboard/api/entities/customer/CUST_E?at={tooOld}");
        Assert.False(old.TryGetProperty("at", out _));
        Assert.False(string.IsNullOrEmpty(old.GetProperty("at_problem").GetString()));
        Assert.Equal(400, (await server.GetJsonAsync("/dashboard/api/entities/customer/CUST_E?at=yesterday")).Status);
        Assert.Equal(404, (await server.GetJsonAsync("/dashboard/api/entities/planet/X")).Status);

        var (_, series) = await server.GetJsonAsync("/dashboard/api/entities/customer/CUST_E/series?hours=1&step=60");
        var counts = series.GetProperty("features").GetProperty("txn_count_1h").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(series.GetProperty("t").GetArrayLength(), counts.Length);
        Assert.Equal(6, counts[^1]);
        Assert.Contains(2, counts);
        Assert.Equal(0, counts[0]);
    }

    [Fact]
    public async Task The_model_page_names_the_rules_and_says_they_have_no_drift()
    {
        await using var server = await RunningServer.StartAsync();
        var (status, model) = await server.GetJsonAsync("/dashboard/api/model");
        Assert.Equal(200, status);
        Assert.Equal(("rules-1", "rules"), (model.GetProperty("active_version").GetString(), model.GetProperty("kind").GetString()));
        Assert.False(model.GetProperty("drift").GetProperty("computed").GetBoolean());
        Assert.Equal("rules", model.GetProperty("drift").GetProperty("status").GetString());
        Assert.False(model.GetProperty("report_available").GetBoolean());
        Assert.Equal(404, (await server.GetJsonAsync("/dashboard/api/model/report")).Status);
    }

    [Fact]
    public async Task The_model_page_shows_an_active_learned_model_with_its_figures_and_its_stored_report()
    {
        using var directory = new TempDirectory();
        var manifest = TestModels.TrainAndActivate(directory.Path);
        var report = new Learning.Models.ModelRegistry(directory.Path).ReportPath(manifest.Version);
        Directory.CreateDirectory(Path.GetDirectoryName(report)!);
        await File.WriteAllTextAsync(report, "<html><body>evaluation of " + manifest.Version + "</body></html>");
        await using var server = await RunningServer.StartAsync(dataDirectory: directory.Path);

        var (_, model) = await server.GetJsonAsync("/dashboard/api/model");
        Assert.Equal((manifest.Version, "gbt"), (model.GetProperty("active_version").GetString(), model.GetProperty("kind").GetString()));
        var test = model.GetProperty("manifest").GetProperty("test");
        Assert.Equal(manifest.Test.Rows, test.GetProperty("rows").GetInt64());
        // The names the model page reads.
        foreach (var name in new[] { "roc_auc", "pr_auc", "recall_at1_pct_fpr", "precision_at_high", "recall_at_high", "f1_at_high", "alert_rate" })
            Assert.True(test.TryGetProperty(name, out _), name);
        Assert.Equal(manifest.Thresholds.High, model.GetProperty("manifest").GetProperty("thresholds").GetProperty("high").GetDouble());
        Assert.Contains(model.GetProperty("versions").EnumerateArray(), v => v.GetProperty("version").GetString() == manifest.Version && v.GetProperty("active").GetBoolean());
        Assert.True(model.GetProperty("report_available").GetBoolean());
        using var served = await server.Client.GetAsync(new Uri("/dashboard/api/model/report", UriKind.Relative));
        Assert.Equal("text/html", served.Content.Headers.ContentType?.MediaType);
        Assert.Contains("evaluation of " + manifest.Version, await served.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_model_page_shows_the_psi_of_every_input_and_of_the_score_once_the_day_holds_enough_decisions()
    {
        using var directory = new TempDirectory();
        var manifest = TestModels.TrainAndActivate(directory.Path);
        await using var server = await RunningServer.StartAsync(dataDirectory: directory.Path);
        var now = DateTimeOffset.UtcNow;

        Assert.Equal(200, (await server.PostJsonAsync("/transactions", DriftTraffic.Json("early", 10, now.AddMinutes(-4)))).Status);
        await WaitForDecisionsAsync(server, 10);
        var collecting = (await server.GetJsonAsync("/dashboard/api/model")).Body.GetProperty("drift");
        Assert.Equal(("collecting", false, 10, 1000), (collecting.GetProperty("status").GetString(), collecting.GetProperty("computed").GetBoolean(),
            collecting.GetProperty("decisions").GetInt64(), collecting.GetProperty("minimum_decisions").GetInt64()));
        Assert.Empty(collecting.GetProperty("features").EnumerateArray());

        // Amounts drawn as the training rows' were, while the training rows' other inputs are levels 0 to 9, which sums
        // of amounts are not.
        Assert.Equal(200, (await server.PostJsonAsync("/transactions", DriftTraffic.Json("day", 1000, now.AddMinutes(-1), seed: 2))).Status);
        await WaitForDecisionsAsync(server, 1010);
        var drift = (await server.GetJsonAsync("/dashboard/api/model")).Body.GetProperty("drift");

        Assert.Equal(("computed", true, manifest.Version, 1010), (drift.GetProperty("status").GetString(), drift.GetProperty("computed").GetBoolean(),
            drift.GetProperty("model_version").GetString(), drift.GetProperty("decisions").GetInt64()));
        var features = drift.GetProperty("features").EnumerateArray()
            .Select(f => (Name: f.GetProperty("feature").GetString()!, Psi: f.GetProperty("psi").GetDouble(), Band: f.GetProperty("band").GetString()))
            .ToArray();
        Assert.Equal(manifest.FeatureNames.Order(StringComparer.Ordinal), features.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.Equal(features.Select(f => f.Psi).OrderDescending(), features.Select(f => f.Psi));
        var amount = features.Single(f => f.Name == Scoring.ModelInputLayout.AmountInput);
        Assert.True(amount.Psi < 0.1 && amount.Band == "stable", $"amount: PSI {amount.Psi} ({amount.Band})");
        var sum = features.Single(f => f.Name == "txn_amount_sum_1h");
        Assert.True(sum.Psi > 0.2 && sum.Band == "significant", $"txn_amount_sum_1h: PSI {sum.Psi} ({sum.Band})");
        Assert.True(drift.GetProperty("score_psi").GetDouble() >= 0);
        Assert.False(string.IsNullOrEmpty(drift.GetProperty("score_band").GetString()));
        var dayEnd = drift.GetProperty("day_end").GetDateTimeOffset();
        Assert.True(dayEnd > now.AddMinutes(-1) && dayEnd - drift.GetProperty("day_start").GetDateTimeOffset() == TimeSpan.FromDays(1));
    }

    [Fact]
    public async Task The_model_page_says_a_version_stored_without_training_distributions_has_no_drift()
    {
        using var directory = new TempDirectory();
        var manifest = TestModels.TrainAndActivate(directory.Path, withReference: false);
        await using var server = await RunningServer.StartAsync(dataDirectory: directory.Path);

        Assert.Equal(200, (await server.PostJsonAsync("/transactions", DriftTraffic.Json("old", 20, DateTimeOffset.UtcNow.AddMinutes(-1)))).Status);
        await WaitForDecisionsAsync(server, 20);
        var (_, model) = await server.GetJsonAsync("/dashboard/api/model");

        Assert.Equal(manifest.Version, model.GetProperty("active_version").GetString());
        var drift = model.GetProperty("drift");
        Assert.Equal(("no_reference", false, manifest.Version), (drift.GetProperty("status").GetString(), drift.GetProperty("computed").GetBoolean(),
            drift.GetProperty("model_version").GetString()));
        Assert.Empty(drift.GetProperty("features").EnumerateArray());
    }

    [Fact]
    public async Task A_replica_serves_the_dashboard_and_says_it_takes_no_decisions()
    {
        await using var server = await RunningServer.StartAsync(configure: s => s with { OnlineStore = new InMemoryOnlineStore(), OnlineStoreEndpoint = "memory" });

        using var page = await server.Client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var (_, info) = await server.GetJsonAsync("/dashboard/api/info");
        Assert.Equal(("replica", false), (info.GetProperty("mode").GetString(), info.GetProperty("decides").GetBoolean()));
        var (alertsStatus, alerts) = await server.GetJsonAsync("/dashboard/api/alerts");
        Assert.Equal((200, false), (alertsStatus, alerts.GetProperty("decides").GetBoolean()));
        Assert.False(alerts.GetProperty("rules_enabled").GetBoolean()); // a replica runs no alert rules
        Assert.Empty(alerts.GetProperty("raised").EnumerateArray());
        Assert.Equal(404, (await server.GetJsonAsync("/dashboard/api/decisions/anything")).Status);
        var (entityStatus, entity) = await server.GetJsonAsync("/dashboard/api/entities/customer/C1");
        Assert.Equal(200, entityStatus);
        Assert.False(string.IsNullOrEmpty(entity.GetProperty("recent_note").GetString()));

        JsonElement history;
        using var timeout = new CancellationTokenSource(Patience);
        while ((history = (await server.GetJsonAsync("/dashboard/api/overview?seconds=60")).Body).GetProperty("t").GetArrayLength() == 0)
            await Task.Delay(100, timeout.Token);
        Assert.All(history.GetProperty("accepted").EnumerateArray(), v => Assert.Equal(JsonValueKind.Null, v.ValueKind));
    }

    private static List<JsonElement> Items(JsonElement alerts) => [.. alerts.GetProperty("items").EnumerateArray()];

    /// <summary>Waits, within <see cref="Patience"/>, until the decision stream has decided <paramref name="count"/> transactions.</summary>
    private static async Task WaitForDecisionsAsync(RunningServer server, int count)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (server.Service<Decisions.DecisionFeed>().Published < count)
            await Task.Delay(20, timeout.Token);
    }

    /// <summary>The data of the next event of the stream, parsed.</summary>
    private static async Task<JsonElement> NextUpdateAsync(StreamReader reader, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Patience);
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                using var document = JsonDocument.Parse(line["data: ".Length..]);
                return document.RootElement.Clone();
            }
        }

        throw new EndOfStreamException("the stream ended");
    }
}
