using Amlfs.Alerts.Rules;
using Amlfs.Scoring;

namespace Amlfs.Alerts;

/// <summary>
/// One alert a rule raised: what it is about, the value that crossed the rule's threshold, the decision behind it when
/// a decision rule raised it, and where it goes. An alert is immutable once raised; its deliveries are tracked apart
/// (<see cref="Queries.RaisedAlert"/>).
/// </summary>
public sealed record Alert
{
    /// <summary>The alert's number, increasing across restarts of the same data directory.</summary>
    public required long Sequence { get; init; }

    public required string Rule { get; init; }

    public required AlertRuleKind Kind { get; init; }

    public required AlertLevel Level { get; init; }

    /// <summary>
    /// The key that makes an alert happen once: <c>rule:transaction</c> for a decision, <c>rule:entity:first</c> for a
    /// run of HIGH decisions (the event time of its first, ms), <c>rule:subject:since</c> for a system condition (when
    /// it started to hold, ms). A key already raised is never raised again, across restarts too.
    /// </summary>
    public required string DedupeKey { get; init; }

    /// <summary>What the alert is about: a customer or merchant id, a component, a feature, or the system signal.</summary>
    public required string Subject { get; init; }

    /// <summary>
    /// For an alert of a decision rule, the kind of entity <see cref="Subject"/> is (the customer, or the merchant of a
    /// per-entity rule that counts merchants); null for a system rule's alert, which is about no entity.
    /// </summary>
    public AlertEntity? Entity { get; init; }

    /// <summary>One line of English that says what happened.</summary>
    public required string Summary { get; init; }

    /// <summary>When it was raised, UTC milliseconds.</summary>
    public required long RaisedAtMs { get; init; }

    /// <summary>The value that crossed the threshold (a count, a feature's value, seconds, a share, a PSI).</summary>
    public double? Value { get; init; }

    public double? Threshold { get; init; }

    public string? TransactionId { get; init; }

    public string? CustomerId { get; init; }

    public string? MerchantId { get; init; }

    /// <summary>The event time of the decision (the last one, for a run of them), UTC milliseconds.</summary>
    public long? EventTimeMs { get; init; }

    public string? ModelVersion { get; init; }

    public RiskLevel? RiskLevel { get; init; }

    public double? Score { get; init; }

    /// <summary>The typology the rule watches for, when it names one.</summary>
    public string? Typology { get; init; }

    /// <summary>
    /// The features behind the alert: for a decision, the inputs that raised its score most (largest positive
    /// contributions first, at most three); for a feature or PSI rule, the feature.
    /// </summary>
    public IReadOnlyList<string> Signals { get; init; } = [];

    /// <summary>The channels the alert is delivered to.</summary>
    public IReadOnlyList<string> Channels { get; init; } = [];
}
