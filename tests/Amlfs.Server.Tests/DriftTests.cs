using System.Globalization;
using System.Text.RegularExpressions;
using Amlfs.Alerts.Queries;
using Amlfs.Alerts.Rules;
using Amlfs.Learning.Models;
using Amlfs.Testing;

namespace Amlfs.Server.Tests;

/// <summary>
/// Drift on a real server under a learned model: the streamed decisions fill the active model's sliding day, whose
/// population stability indexes reach <c>/metrics</c> and the <c>psi_above</c> alert rule; a decision taken again to
/// show it does not count, and another active model starts another day.
/// </summary>
public sealed partial class DriftTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Metrics_carry_the_psi_of_every_input_and_of_the_score_once_the_day_holds_enough_decisions()
    {
        var manifest = TestModels.TrainAndActivate(_directory.Path);
        await using var server = await RunningServer.StartAsync(dataDirectory: _directory.Path);
        var now = DateTimeOffset.UtcNow;
        await PostAsync(server, DriftTraffic.Json("few", 10, now.AddMinutes(-4)), 10);

        var before = await MetricsAsync(server);
        await PostAsync(server, DriftTraffic.Json("day", 1000, now.AddMinutes(-1), seed: 2), 1010);
        var after = await MetricsAsync(server);

        // Ten decisions are too few for an index: the series are absent, not zero.
        Assert.DoesNotMatch(Sample("amlfs_feature_psi"), before);
        Assert.DoesNotMatch(Sample("amlfs_score_psi"), before);
        Assert.Contains("# HELP amlfs_score_psi Population stability index", after, StringComparison.Ordinal);
        var features = FeaturePsi().Matches(after).ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.Equal(manifest.FeatureNames.Order(StringComparer.Ordinal), features.Keys.Order(StringComparer.Ordinal));
        Assert.InRange(features[Scoring.ModelInputLayout.AmountInput], 0, 0.1);
        Assert.True(features["txn_amount_sum_1h"] > 0.2, after);
        Assert.Matches(new Regex("^amlfs_score_psi [0-9.e+-]+$", RegexOptions.Multiline), after);
    }

    [PromtoolFact]
    public async Task Promtool_accepts_the_metrics_with_the_drift_gauges()
    {
        TestModels.TrainAndActivate(_directory.Path);
        await using var server = await RunningServer.StartAsync(dataDirectory: _directory.Path);
        await PostAsync(server, DriftTraffic.Json("day", 1000, DateTimeOffset.UtcNow.AddMinutes(-1)), 1000);
        var text = await MetricsAsync(server);
        Assert.Matches(Sample("amlfs_score_psi"), text);

        var (exitCode, output) = await Promtool.RunAsync(["check", "metrics"], text);

        Assert.True(exitCode == 0 && output.Length == 0, $"promtool check metrics exited {exitCode}:{Environment.NewLine}{output}");
    }

    [Fact]
    public async Task A_psi_above_rule_raises_an_alert_for_each_drifted_input_from_the_servers_system_signals()
    {
        TestModels.TrainAndActivate(_directory.Path);
        var rules = AlertRuleSet.Parse("rules:\n  - name: drift\n    kind: psi_above\n    threshold: 0.2\n    for: 0s\n", "alerts.yaml");
        await using var server = await RunningServer.StartAsync(dataDirectory: _directory.Path, configure: s => s with { AlertRules = rules });
        await PostAsync(server, DriftTraffic.Json("day", 1000, DateTimeOffset.UtcNow.AddMinutes(-1)), 1000);

        var recent = server.Service<Alerting.AlertService>().Engine.Recent;
        using var timeout = new CancellationTokenSource(Patience);
        while (recent.Query(new AlertQuery { Rule = "drift", Subject = "txn_amount_sum_1h" }).Count == 0)
            await Task.Delay(50, timeout.Token);

        var alert = recent.Query(new AlertQuery { Rule = "drift", Subject = "txn_amount_sum_1h" })[0].Alert;
        Assert.Equal(AlertRuleKind.PsiAbove, alert.Kind);
        Assert.True(alert.Value > 0.2 && alert.Threshold == 0.2, $"{alert.Value} against {alert.Threshold}");
        Assert.StartsWith("PSI of txn_amount_sum_1h ", alert.Summary, StringComparison.Ordinal);
        // Amounts drawn as the training rows' were do not drift.
        Assert.Empty(recent.Query(new AlertQuery { Rule = "drift", Subject = Scoring.ModelInputLayout.AmountInput }));
    }

    [Fact]
    public async Task A_decision_explained_again_for_the_dashboard_does_not_count_in_the_day()
    {
        TestModels.TrainAndActivate(_directory.Path);
        await using var server = await RunningServer.StartAsync(dataDirectory: _directory.Path);
        await PostAsync(server, DriftTraffic.Json("day", 50, DateTimeOffset.UtcNow.AddMinutes(-1)), 50);

        var sources = new List<string?>();
        for (var i = 0; i < 10; i++)
        {
            var (status, detail) = await server.GetJsonAsync("/dashboard/api/decisions/day-" + i.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(200, status);
            sources.Add(detail.GetProperty("explanation_source").GetString());
        }

        var (_, model) = await server.GetJsonAsync("/dashboard/api/model");

        // A decision that did not alert is scored again to explain it (an alert keeps its explanation).
        Assert.Contains("recomputed", sources);
        Assert.Equal(50, model.GetProperty("drift").GetProperty("decisions").GetInt64());
    }

    [Fact]
    public async Task Another_active_model_starts_another_day()
    {
        var first = TestModels.TrainAndActivate(_directory.Path);
        var second = TestModels.Train(_directory.Path, seed: 8);
        await using var server = await RunningServer.StartAsync(dataDirectory: _directory.Path);
        await PostAsync(server, DriftTraffic.Json("day", 40, DateTimeOffset.UtcNow.AddMinutes(-1)), 40);
        Assert.Equal((first.Version, 40), await DriftOfAsync(server));

        new ModelRegistry(_directory.Path).Activate(second.Version, DateTimeOffset.UtcNow);
        using var timeout = new CancellationTokenSource(Patience);
        while ((await DriftOfAsync(server)).Version != second.Version)
            await Task.Delay(50, timeout.Token);

        Assert.Equal((second.Version, 0), await DriftOfAsync(server));
    }

    /// <summary>Posts one batch and waits until the decision stream has published <paramref name="decided"/> decisions in all.</summary>
    private static async Task PostAsync(RunningServer server, string json, long decided)
    {
        var (status, body) = await server.PostJsonAsync("/transactions", json);
        Assert.True(status == 200 && body.GetProperty("rejected").GetInt32() == 0, body.ToString());
        using var timeout = new CancellationTokenSource(Patience);
        while (server.Service<Decisions.DecisionFeed>().Published < decided)
            await Task.Delay(20, timeout.Token);
    }

    private static async Task<(string? Version, long Decisions)> DriftOfAsync(RunningServer server)
    {
        var drift = (await server.GetJsonAsync("/dashboard/api/model")).Body.GetProperty("drift");
        return (drift.GetProperty("model_version").GetString(), drift.GetProperty("decisions").GetInt64());
    }

    private static Task<string> MetricsAsync(RunningServer server) => server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

    private static Regex Sample(string name) => new("^" + name + "[{ ]", RegexOptions.Multiline);

    [GeneratedRegex("^amlfs_feature_psi\\{feature=\"([^\"]+)\"\\} ([0-9.e+-]+)$", RegexOptions.Multiline)]
    private static partial Regex FeaturePsi();
}
