using System.Globalization;
using System.Text.RegularExpressions;
using Amlfs.Engine;
using Amlfs.Parquet.Training;
using Amlfs.Storage;
using Amlfs.Testing;
using Microsoft.Playwright;
using Parquet;
using Xunit.Abstractions;

namespace Amlfs.Dashboard.Tests;

/// <summary>
/// The dashboard in a real browser (Debian's Chromium, headless) against a real server on a real port: the live
/// overview, an alert and its decision, an entity as of an earlier instant, the model page, the language switch, and a
/// case closed as laundering down to the next training set.
/// Each test saves a screenshot of the pages it saw under <c>screenshots/</c> of the test output directory.
/// </summary>
public sealed class DashboardBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    /// <summary>How long a page may take to show what a test waits for: generous, the machine is shared.</summary>
    private const float Patience = 20_000;

    private RunningServer Server => fixture.Server;

    [ChromiumFact]
    public async Task The_overview_counters_move_while_transactions_arrive()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await WaitReadyAsync(page, "overview");
        var accepted = page.Locator("#total-accepted");
        await Assertions.Expect(accepted).Not.ToHaveTextAsync("—", new() { Timeout = Patience });
        var before = Number(await accepted.TextContentAsync());

        var now = DateTimeOffset.UtcNow;
        var items = Enumerable.Range(0, 25)
            .Select(i => SuspiciousBurst.Item($"ov-{Guid.NewGuid():N}", "CUST_OVERVIEW", 40m + i, now.AddSeconds(-30 + i), "MERCH_1", "10.1.0.1"));
        var (status, _) = await Server.PostJsonAsync("/transactions", System.Text.Json.JsonSerializer.Serialize(items));
        Assert.Equal(200, status);

        await page.WaitForFunctionAsync(
            "before => { const v = document.querySelector('#total-accepted').textContent.replace(/[^0-9]/g, ''); return Number(v) >= before + 25; }",
            before, new() { Timeout = Patience });
        await Assertions.Expect(page.Locator("#chart-tps canvas")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#health [data-component=engine]")).ToHaveAttributeAsync("data-status", "healthy", new() { Timeout = Patience });
        Saved(await BrowserFixture.ScreenshotAsync(page, "overview"));
    }

    [ChromiumFact]
    public async Task An_alert_appears_after_a_suspicious_burst_its_decision_shows_the_explanation_chart_and_the_rule_alert_opens_its_decision()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/#/alerts");
        await WaitReadyAsync(page, "alerts");

        var (burst, alertId) = SuspiciousBurst.For("CUST_BURST", DateTimeOffset.UtcNow);
        var (status, _) = await Server.PostJsonAsync("/transactions", burst);
        Assert.Equal(200, status);

        // No reload: the list follows the live stream.
        var row = page.Locator($"#alerts-table tr[data-transaction-id='{alertId}']");
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = Patience });
        await Assertions.Expect(row.Locator("[data-level]")).ToHaveAttributeAsync("data-level", "HIGH");
        // The built-in rules raise an alert about the customer's first HIGH decision (then throttle it for ten minutes):
        // listed above the decisions with its rule, severity and delivery, and linked to its decision.
        var raised = page.Locator("#raised-table tr[data-rule='high_risk_decision']").Filter(new() { HasText = "CUST_BURST" });
        await Assertions.Expect(raised).ToHaveCountAsync(1, new() { Timeout = Patience });
        await Assertions.Expect(raised.Locator("[data-severity]")).ToHaveAttributeAsync("data-severity", "warning");
        await Assertions.Expect(raised.Locator("[data-delivery]")).ToHaveAttributeAsync("data-delivery", "recorded");
        var alerted = await raised.Locator("a.decision-link").TextContentAsync();
        Assert.StartsWith("CUST_BURST-", alerted, StringComparison.Ordinal);
        Saved(await BrowserFixture.ScreenshotAsync(page, "alerts"));

        await row.ClickAsync();
        await WaitReadyAsync(page, "decision");
        await Assertions.Expect(page.Locator("#decision-id")).ToHaveTextAsync(alertId);
        await Assertions.Expect(page.Locator("#decision-chart canvas")).ToBeVisibleAsync();
        var bars = await page.Locator("#decision-contributions tbody tr").CountAsync();
        Assert.True(bars >= 2, $"the explanation lists {bars} contributions");
        // Largest first.
        var contributions = (await page.Locator("#decision-contributions tbody tr td:nth-child(3)").AllTextContentsAsync()).Select(Number).ToArray();
        Assert.Equal(contributions.OrderByDescending(Math.Abs), contributions);
        await Assertions.Expect(page.Locator("#decision-features details").First).ToBeVisibleAsync();
        Saved(await BrowserFixture.ScreenshotAsync(page, "decision"));

        // Back on the list, the rule's alert opens the decision it was raised about.
        await page.GoBackAsync();
        await WaitReadyAsync(page, "alerts");
        await raised.Locator("a.decision-link").ClickAsync();
        await WaitReadyAsync(page, "decision");
        await Assertions.Expect(page.Locator("#decision-id")).ToHaveTextAsync(alerted!);
        await Assertions.Expect(page.Locator("#decision-found-in")).ToHaveAttributeAsync("data-source", "feed");
        Saved(await BrowserFixture.ScreenshotAsync(page, "decision-of-raised-alert"));
    }

    [ChromiumFact]
    public async Task The_entity_page_shows_features_as_of_an_earlier_instant()
    {
        var now = DateTimeOffset.UtcNow;
        // Four payments four minutes ago, four more one minute ago (within the allowed lateness of 5 minutes whatever the
        // other tests sent): as of two and a half minutes ago the hour holds four.
        var items = Enumerable.Range(0, 8).Select(i => SuspiciousBurst.Item(
            $"ent-{i}-{Guid.NewGuid():N}", "CUST_ENTITY", 100m + i, now.AddMinutes(i < 4 ? -4 : -1).AddSeconds(i), "MERCH_" + (i % 3), "10.2.0." + i));
        var (status, _) = await Server.PostJsonAsync("/transactions", System.Text.Json.JsonSerializer.Serialize(items));
        Assert.Equal(200, status);
        var at = now.AddSeconds(-150).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/#/entity/customer/CUST_ENTITY?at={at}");
        await WaitReadyAsync(page, "entity");

        var count = page.Locator("#entity-features tr[data-feature=txn_count_1h]");
        await Assertions.Expect(count.Locator("td.now")).ToHaveTextAsync("8");
        await Assertions.Expect(count.Locator("td.at")).ToHaveTextAsync("4");
        await Assertions.Expect(page.Locator("#entity-at-heading")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#entity-charts canvas").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#entity-counterparties tbody tr").First).ToBeVisibleAsync(new() { Timeout = Patience });
        Saved(await BrowserFixture.ScreenshotAsync(page, "entity"));
    }

    [ChromiumFact]
    public async Task The_model_page_shows_the_model_that_decides_and_that_the_rules_have_no_drift()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/#/model");
        await WaitReadyAsync(page, "model");

        await Assertions.Expect(page.Locator("#model-version")).ToHaveTextAsync("rules-1");
        await Assertions.Expect(page.Locator("#drift")).ToHaveAttributeAsync("data-computed", "false");
        await Assertions.Expect(page.Locator("#drift")).ToHaveAttributeAsync("data-status", "rules");
        await Assertions.Expect(page.Locator("#drift-status")).ToContainTextAsync("The rules model has no training set, so it has no drift");
        Saved(await BrowserFixture.ScreenshotAsync(page, "model"));
    }

    [ChromiumFact]
    public async Task The_model_page_of_a_learned_model_charts_the_psi_of_its_inputs_largest_first()
    {
        using var directory = new TempDirectory();
        var manifest = TestModels.TrainAndActivate(directory.Path);
        await using var server = await RunningServer.StartAsync(dataDirectory: directory.Path);
        var (status, _) = await server.PostJsonAsync("/transactions", DriftTraffic.Json("drift", 1000, DateTimeOffset.UtcNow.AddMinutes(-1)));
        Assert.Equal(200, status);
        await using var context = await fixture.NewContextAsync(address: server.Address);
        var page = await context.NewPageAsync();

        // The decisions stream in: the page shows the day once it holds enough of them.
        await page.GotoAsync("/#/model");
        await WaitReadyAsync(page, "model");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(Patience));
        while (await page.Locator("#drift").GetAttributeAsync("data-status") != "computed")
        {
            await Assertions.Expect(page.Locator("#drift")).ToHaveAttributeAsync("data-status", "collecting");
            await Task.Delay(200, timeout.Token);
            await page.ReloadAsync();
            await WaitReadyAsync(page, "model");
        }

        await Assertions.Expect(page.Locator("#model-version")).ToHaveTextAsync(manifest.Version);
        await Assertions.Expect(page.Locator("#drift-status")).ToContainTextAsync("over 1,000 decisions");
        await Assertions.Expect(page.Locator("#drift-score")).ToHaveAttributeAsync("data-band", new Regex("^(stable|moderate|significant)$"));
        await Assertions.Expect(page.Locator("#drift-chart canvas")).ToBeVisibleAsync();
        var rows = page.Locator("#drift-features tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(manifest.FeatureNames.Count);
        var psi = (await page.Locator("#drift-features tbody td.num").AllTextContentsAsync()).Select(v => double.Parse(v, CultureInfo.GetCultureInfo("en-US"))).ToArray();
        Assert.Equal(psi.OrderDescending(), psi);
        await Assertions.Expect(page.Locator("#drift-features tr[data-feature=txn_amount_sum_1h]")).ToHaveAttributeAsync("data-band", "significant");
        Saved(await BrowserFixture.ScreenshotAsync(page, "model-drift"));
    }

    [ChromiumFact]
    public async Task The_language_switch_translates_the_pages_and_is_remembered()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await WaitReadyAsync(page, "overview");
        await Assertions.Expect(page.Locator("nav a[data-page=overview]")).ToHaveTextAsync("Overview");

        await page.SelectOptionAsync("#lang", "pt-BR");
        await WaitReadyAsync(page, "overview");
        await Assertions.Expect(page.Locator("nav a[data-page=overview]")).ToHaveTextAsync("Visão geral");
        await Assertions.Expect(page.Locator("#overview h1")).ToHaveTextAsync("Visão geral");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "pt-BR");

        await page.ReloadAsync();
        await WaitReadyAsync(page, "overview");
        await Assertions.Expect(page.Locator("nav a[data-page=alerts]")).ToHaveTextAsync("Alertas");
        await page.GotoAsync("/#/model");
        await WaitReadyAsync(page, "model");
        await Assertions.Expect(page.Locator("#drift-status")).ToContainTextAsync("O modelo de regras não tem conjunto de treino");
        Saved(await BrowserFixture.ScreenshotAsync(page, "model-pt-BR"));

        // Every word has both languages.
        var missing = await page.EvaluateAsync<string[]>(
            "() => { const d = window.AMLFS_I18N; return Object.keys(d.en).filter(k => !(k in d['pt-BR'])).concat(Object.keys(d['pt-BR']).filter(k => !(k in d.en))); }");
        Assert.Empty(missing);
    }

    [ChromiumFact]
    public async Task A_Portuguese_browser_opens_the_dashboard_in_Portuguese()
    {
        await using var context = await fixture.NewContextAsync(locale: "pt-BR");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/#/alerts");
        await WaitReadyAsync(page, "alerts");
        await Assertions.Expect(page.Locator("#alerts h1")).ToHaveTextAsync("Alertas");
        Saved(await BrowserFixture.ScreenshotAsync(page, "alerts-pt-BR"));
    }

    [ChromiumFact]
    public async Task An_analyst_closes_a_case_as_laundering_in_the_dashboard_and_the_next_training_set_labels_its_decisions_suspicious()
    {
        // A server of its own, so that stopping it rolls its transactions (and only those) into its offline store.
        using var directory = new TempDirectory();
        List<string?> decided;
        DateTimeOffset closedAt;
        await using (var server = await RunningServer.StartAsync(dataDirectory: directory.Path))
        {
            var (burst, _) = SuspiciousBurst.For("CUST_CASE", DateTimeOffset.UtcNow);
            Assert.Equal(200, (await server.PostJsonAsync("/transactions", burst)).Status);
            var id = await WaitForCaseAsync(server, "CUST_CASE");

            await using var context = await fixture.NewContextAsync(address: server.Address);
            var page = await context.NewPageAsync();
            await page.GotoAsync("/#/cases");
            await WaitReadyAsync(page, "cases");
            await Assertions.Expect(page.Locator($"#cases-table tr[data-case='{id}']")).ToBeVisibleAsync(new() { Timeout = Patience });
            Saved(await BrowserFixture.ScreenshotAsync(page, "cases"));

            await page.ClickAsync($"#cases-table a[data-case='{id}']");
            await WaitReadyAsync(page, "case");
            await Assertions.Expect(page.Locator("#case-chart canvas")).ToBeVisibleAsync(new() { Timeout = Patience });
            await page.ClickAsync("#case-investigate");
            await Assertions.Expect(page.Locator("section#case")).ToHaveAttributeAsync("data-status", "investigating", new() { Timeout = Patience });
            await page.SelectOptionAsync("#case-disposition-choice", "laundering_confirmed");
            await page.FillAsync("#case-close-note", "three IPs in five minutes, confirmed with the bank");
            await page.ClickAsync("#case-close");
            await Assertions.Expect(page.Locator("section#case")).ToHaveAttributeAsync("data-status", "closed", new() { Timeout = Patience });
            await Assertions.Expect(page.Locator("#case-labelled")).ToHaveAttributeAsync("data-labelled", "true");
            await Assertions.Expect(page.Locator("#case-history")).ToContainTextAsync("confirmed with the bank");
            Saved(await BrowserFixture.ScreenshotAsync(page, "case"));

            // The disposition is a label on each of the case's decisions, known from the moment the case closed.
            var (_, closed) = await server.GetJsonAsync("/cases/" + id);
            decided = closed.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("transaction_id").GetString()).Distinct().Order(StringComparer.Ordinal).ToList();
            closedAt = closed.GetProperty("closed_at").GetDateTimeOffset();
            var labels = (await Amlfs.Parquet.Labels.LabelTable.ReadAsync(server.DataDirectory)).Where(l => l.Source == "case:" + id).ToList();
            Assert.Equal(decided, labels.Select(l => l.TransactionId).Order(StringComparer.Ordinal));
            Assert.All(labels, l => Assert.Equal((true, closedAt.ToUnixTimeMilliseconds()), (l.IsSuspicious, l.KnownAtMs)));
        } // a clean stop rolls the accepted transactions into the offline store

        Assert.NotEmpty(decided);

        // The next training set, as `amlfs training-set` builds it: every label known now. Its rows are exactly the
        // case's decisions, labelled suspicious; the rest of the burst is history only.
        var next = await TrainingSetAsync(directory.Path, labelCutoff: null);
        Assert.Equal(13, next.Summary.HistoryTransactions);
        Assert.Equal(decided.Select(t => (t, true)), next.Rows.OrderBy(r => r.TransactionId, StringComparer.Ordinal));

        // With the label cut-off at the close time (only labels known before it), the decisions are unlabelled again.
        var before = await TrainingSetAsync(directory.Path, labelCutoff: closedAt);
        Assert.Equal((13L, 13L), (before.Summary.HistoryTransactions, before.Summary.Unlabelled));
        Assert.Empty(before.Rows);
    }

    [ChromiumFact]
    public async Task A_server_that_checks_keys_opens_on_a_sign_in_form_that_refuses_a_bad_key_and_signs_an_analyst_in_and_out()
    {
        using var directory = new TempDirectory();
        var store = new Amlfs.Security.ApiKeyStore(Amlfs.Security.ApiKeyStore.FileOf(directory.Path));
        var analyst = store.Create("ana", Amlfs.Security.ApiRole.Analyst).Key;
        var feeder = store.Create("feeder", Amlfs.Security.ApiRole.Ingest).Key;
        await using var keyed = await RunningServer.StartAsync(dataDirectory: directory.Path,
            configure: s => s with { Auth = new Amlfs.Server.Security.AuthSettings { KeysFile = store.File } });
        await using var context = await fixture.NewContextAsync(address: keyed.Address);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/#/alerts");
        await WaitReadyAsync(page, "sign-in");
        await page.FillAsync("#sign-in-key", analyst[..^3] + "xyz");
        await page.ClickAsync("#sign-in button[type=submit]");
        await Assertions.Expect(page.Locator("#sign-in-error")).ToContainTextAsync("not valid", new() { Timeout = Patience });
        Saved(await BrowserFixture.ScreenshotAsync(page, "sign-in"));

        // A key of another role signs in, and is told the dashboard is not for it.
        await page.FillAsync("#sign-in-key", feeder);
        await page.ClickAsync("#sign-in button[type=submit]");
        await Assertions.Expect(page.Locator("#sign-in-error")).ToContainTextAsync("ingest", new() { Timeout = Patience });
        await page.ClickAsync("#sign-out");
        await WaitReadyAsync(page, "sign-in");

        await page.FillAsync("#sign-in-key", analyst);
        await page.ClickAsync("#sign-in button[type=submit]");
        await WaitReadyAsync(page, "alerts");
        await Assertions.Expect(page.Locator("#who-name")).ToHaveTextAsync("ana");
        var cookies = await context.CookiesAsync();
        Assert.True(cookies.Single(c => c.Name == "amlfs_session").HttpOnly);
        Assert.DoesNotContain(cookies, c => c.Value.Contains(analyst, StringComparison.Ordinal));
        Saved(await BrowserFixture.ScreenshotAsync(page, "signed-in"));

        await page.ClickAsync("#sign-out");
        await WaitReadyAsync(page, "sign-in");
    }

    /// <summary>The id of the first case the server opened about <paramref name="entity"/>, once it has one.</summary>
    private static async Task<string> WaitForCaseAsync(RunningServer server, string entity)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(Patience));
        while (true)
        {
            var (_, list) = await server.GetJsonAsync("/cases?entity_id=" + entity);
            if (list.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("id").GetString()).FirstOrDefault() is { } id)
                return id;
            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>
    /// The training set <c>amlfs training-set [--label-cutoff INSTANT]</c> writes for the data directory: the active
    /// definitions, the store's labelled transactions, labels known before the cut-off; read back as (transaction id,
    /// label) rows in the file's order.
    /// </summary>
    private static async Task<(TrainingSetSummary Summary, List<(string? TransactionId, bool Label)> Rows)> TrainingSetAsync(string root, DateTimeOffset? labelCutoff)
    {
        var definition = new RegistryStore(root).Active.Definition;
        var output = Path.Combine(root, $"training-set-{labelCutoff?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? "now"}.parquet");
        var summary = await TrainingSetBuilder.BuildFromStoreAsync(root, FeaturePlan.Compile(definition), EngineOptions.From(definition),
            new TransactionRowSelection { CutoffMs = labelCutoff?.ToUnixTimeMilliseconds() }, output, parallelism: 1);

        var rows = new List<(string?, bool)>();
        await using var reader = await ParquetReader.CreateAsync(output);
        var fields = reader.Schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var ids = new string?[group.RowCount];
            var labels = new bool[group.RowCount];
            await group.ReadAsync(fields["transaction_id"], ids.AsMemory());
            await group.ReadAsync(fields["label"], labels.AsMemory());
            rows.AddRange(ids.Zip(labels));
        }

        Assert.Equal(summary.Rows, rows.Count);
        return (summary, rows);
    }

    private static async Task WaitReadyAsync(IPage page, string name) =>
        await Assertions.Expect(page.Locator($"main#page[data-page='{name}'][data-ready='true']")).ToBeAttachedAsync(new() { Timeout = Patience });

    private static double Number(string? text)
    {
        var digits = new string((text ?? "").Where(c => char.IsDigit(c) || c is '-' or '.' or '−').ToArray()).Replace('−', '-');
        return double.Parse(digits, CultureInfo.InvariantCulture);
    }

    private void Saved(string path) => output.WriteLine($"screenshot: {path}");
}
