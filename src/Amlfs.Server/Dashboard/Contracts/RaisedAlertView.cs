namespace Amlfs.Server.Dashboard.Contracts;

/// <summary>
/// An alert an alert rule raised, as the alerts page lists it: the rule and its severity, what the alert is about, its
/// message (the English line its channels receive), when it was raised, how its delivery stands, and for an alert
/// about a decision, the decision (which the page links).
/// </summary>
internal sealed record RaisedAlertView
{
    /// <summary>The alert's number, increasing across restarts of the same data directory.</summary>
    public required long Sequence { get; init; }

    public required string Rule { get; init; }

    /// <summary>The rule's kind, as the alerts file spells it: <c>high_decision</c>, <c>predict_p99_above</c>...</summary>
    public required string Kind { get; init; }

    /// <summary>info, warning or critical, as the rule declares.</summary>
    public required string Severity { get; init; }

    /// <summary>A customer or merchant id, a component, a feature, or the system signal.</summary>
    public required string Subject { get; init; }

    public required string Message { get; init; }

    public required DateTimeOffset RaisedAt { get; init; }

    /// <summary>The value that crossed the rule's threshold (a count, a feature's value, seconds, a share, a PSI).</summary>
    public double? Value { get; init; }

    public double? Threshold { get; init; }

    /// <summary>The decision behind the alert (the latest of a run of them); null for an alert about the system.</summary>
    public string? TransactionId { get; init; }

    public string? CustomerId { get; init; }

    public string? MerchantId { get; init; }

    /// <summary>The transaction's time; the page's link to the decision carries it, so that an old one is found in its day.</summary>
    public DateTimeOffset? EventTime { get; init; }

    public string? ModelVersion { get; init; }

    /// <summary>The decision's risk level (LOW, MEDIUM, HIGH); null for an alert about the system.</summary>
    public string? Level { get; init; }

    public double? Score { get; init; }

    /// <summary>The typology signal: the rule's typology when it names one, else the family of the first feature behind the alert.</summary>
    public string? Signal { get; init; }

    /// <summary>The features behind the alert: a decision's largest positive contributions, or the feature a rule watches.</summary>
    public required IReadOnlyList<string> Features { get; init; }

    /// <summary>recorded (the rule names no channel), pending, delivered (to every channel) or failed (by one at least).</summary>
    public required string Delivery { get; init; }

    public required IReadOnlyList<AlertDeliveryView> Deliveries { get; init; }
}
