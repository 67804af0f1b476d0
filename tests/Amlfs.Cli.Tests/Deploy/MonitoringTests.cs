using System.Text.Json;
using System.Text.RegularExpressions;
using Amlfs.Testing;
using YamlDotNet.RepresentationModel;

namespace Amlfs.Cli.Tests.Deploy;

/// <summary>
/// deploy/: the Prometheus rules and scrape configuration parse with promtool, and every metric they and the Grafana
/// dashboard name is one that a server, an API replica or a Kafka worker really exports; a worker answers
/// <c>/metrics</c>, and Prometheus reads what each process exports.
/// </summary>
[Trait("Category", "Process")]
public sealed partial class MonitoringTests(MonitoredSystem system) : IClassFixture<MonitoredSystem>
{
    [Fact]
    public void A_worker_serves_its_counters_and_the_process_figures_at_metrics()
    {
        var text = system.WorkerMetrics;

        Assert.Matches(new Regex("^amlfs_worker_messages_total\\{topic=\"tx-[0-9a-f]+\",key=\"customer_id\"\\} [1-9]", RegexOptions.Multiline), text);
        Assert.Matches(new Regex("^amlfs_worker_messages_total\\{topic=\"[^\"]+\",key=\"merchant_id\"\\} [1-9]", RegexOptions.Multiline), text);
        Assert.Matches(new Regex("^amlfs_online_store_writes_total [1-9]", RegexOptions.Multiline), text);
        Assert.Matches(new Regex("^amlfs_worker_partitions [1-9]", RegexOptions.Multiline), text);
        Assert.Contains("amlfs_ingest_rejected_total{reason=\"late\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("amlfs_online_store_errors_total 0\n", text, StringComparison.Ordinal);
        Assert.Contains("amlfs_engine_lag_seconds ", text, StringComparison.Ordinal);
        Assert.Matches(new Regex("^process_cpu_seconds_total [0-9.e+-]+$", RegexOptions.Multiline), text);
        Assert.Contains("dotnet_threadpool_threads ", text, StringComparison.Ordinal);
    }

    [PromtoolFact]
    public async Task Promtool_accepts_the_metrics_of_a_server_an_api_replica_and_a_worker()
    {
        foreach (var (process, text) in new[] { ("server", system.ServerMetrics), ("replica", system.ReplicaMetrics), ("worker", system.WorkerMetrics) })
        {
            var (exitCode, output) = await Promtool.RunAsync(["check", "metrics"], text);

            Assert.True(exitCode == 0 && output.Length == 0, $"promtool check metrics on the {process}'s exited {exitCode}:{Environment.NewLine}{output}");
        }
    }

    [PromtoolFact]
    public async Task The_alerting_rules_and_the_scrape_configuration_parse_with_promtool()
    {
        var rules = await Promtool.RunAsync(["check", "rules", Path.Combine(RepositoryFiles.Root(), "deploy", "prometheus", "rules.yml")]);
        var config = await Promtool.RunAsync(["check", "config", "--syntax-only", Path.Combine(RepositoryFiles.Root(), "deploy", "prometheus", "prometheus.yml")]);

        Assert.True(rules.ExitCode == 0, rules.Output);
        Assert.Contains("SUCCESS", rules.Output, StringComparison.Ordinal);
        Assert.True(config.ExitCode == 0, config.Output);
    }

    [Fact]
    public void Every_metric_the_alerting_rules_name_is_exported_by_the_processes()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(RepositoryFiles.Read("deploy/prometheus/rules.yml")));
        var groups = (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["groups"];
        var expressions = groups.Cast<YamlMappingNode>()
            .SelectMany(g => ((YamlSequenceNode)g["rules"]).Cast<YamlMappingNode>())
            .Select(r => ((YamlScalarNode)r["expr"]).Value!)
            .ToArray();

        AssertExported(expressions, "deploy/prometheus/rules.yml");
    }

    [Fact]
    public void Every_metric_the_grafana_dashboard_queries_is_exported_by_the_processes()
    {
        using var dashboard = JsonDocument.Parse(RepositoryFiles.Read("deploy/grafana/amlfs.json"));
        var root = dashboard.RootElement;
        var expressions = root.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!))
            .Concat(root.GetProperty("templating").GetProperty("list").EnumerateArray()
                .Where(v => v.GetProperty("type").GetString() == "query")
                .Select(v => v.GetProperty("definition").GetString()!))
            .ToArray();

        AssertExported(expressions, "deploy/grafana/amlfs.json");
    }

    /// <summary>Every metric name in <paramref name="expressions"/> is a sample of some process's <c>/metrics</c>.</summary>
    private void AssertExported(IReadOnlyList<string> expressions, string file)
    {
        var exported = new[] { system.ServerMetrics, system.ReplicaMetrics, system.WorkerMetrics }
            .SelectMany(MonitoredSystem.SampleNames)
            .ToHashSet(StringComparer.Ordinal);
        // Label values and recording rules' names (amlfs:...) never match: the former are quoted, the latter have a colon.
        var named = expressions
            .SelectMany(e => MetricName().Matches(Regex.Replace(e, "\"[^\"]*\"", "\"\"")).Select(m => m.Value))
            .ToHashSet(StringComparer.Ordinal);

        Assert.True(expressions.Count >= 10 && named.Count >= 10, $"{file}: {expressions.Count} expressions naming {named.Count} metrics");
        var missing = named.Where(n => !exported.Contains(n)).Order(StringComparer.Ordinal).ToArray();
        Assert.True(missing.Length == 0, $"{file} names metrics no process exports: {string.Join(", ", missing)}{Environment.NewLine}{system.WorkerOutput}");
    }

    [GeneratedRegex(@"(?<![\w:$])(?:amlfs|process|dotnet)_[a-z0-9_]+(?![\w:])")]
    private static partial Regex MetricName();
}
