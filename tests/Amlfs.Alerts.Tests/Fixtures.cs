using Amlfs.Alerts.Delivery;
using Amlfs.Alerts.Raising;
using Amlfs.Alerts.Rules;
using Amlfs.Decisions;
using Amlfs.Scoring;
using Amlfs.Transactions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Alerts.Tests;

/// <summary>Decisions, clocks, data directories and engines for the alert tests.</summary>
internal static class Fixtures
{
    /// <summary>The start of every test's fake clock: 2025-03-01T12:00:00Z.</summary>
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static long StartMs => Start.ToUnixTimeMilliseconds();

    public static FakeTimeProvider Clock() => new(Start);

    public static Decision Decision(
        string transaction, string customer, RiskLevel level, long eventMs, double score = 0.9, string merchant = "m-1",
        string model = "rules-v1", IReadOnlyList<DecisionContribution>? contributions = null) =>
        new(transaction, customer, merchant, DestinationType.Merchant, 10_000, eventMs, 1, eventMs, score, level, model)
        {
            Contributions = contributions,
        };

    public static Decision High(string transaction, string customer, long eventMs, string merchant = "m-1") =>
        Decision(transaction, customer, RiskLevel.High, eventMs, merchant: merchant);

    /// <summary>An engine that delivers only when the test calls <see cref="AlertEngine.DeliverDueAsync"/>.</summary>
    public static AlertEngine Engine(
        string dataDirectory, AlertRuleSet rules, TimeProvider time, IReadOnlyDictionary<string, IAlertChannel>? channels = null,
        bool background = false) =>
        AlertEngine.Open(
            new AlertEngineOptions { DataDirectory = dataDirectory, DeliverInBackground = background },
            rules, channels ?? new Dictionary<string, IAlertChannel>(), time, NullLoggerFactory.Instance, new Random(7));

    /// <summary>Rules from YAML text.</summary>
    public static AlertRuleSet Rules(string yaml) => AlertRuleSet.Parse(yaml, "test.yaml");
}
