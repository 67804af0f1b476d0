namespace Amlfs.Alerts.Outbox;

/// <summary>An alert read back from the outbox, with the outcome of each delivery that was settled.</summary>
internal sealed class OutboxEntry(Alert alert)
{
    public Alert Alert { get; } = alert;

    public Dictionary<string, OutboxOutcome> Outcomes { get; } = new(StringComparer.Ordinal);

    /// <summary>The channels of the alert whose delivery is not settled.</summary>
    public IEnumerable<string> Unsettled => Alert.Channels.Where(c => !Outcomes.ContainsKey(c));
}
