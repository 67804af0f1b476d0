namespace Amlfs.Kafka;

/// <summary>
/// What became of the messages a <see cref="TransactionPublisher"/> was given. Once it is flushed, every message is
/// either delivered or failed: <see cref="Published"/> = <see cref="Delivered"/> + <see cref="Failed"/>.
/// </summary>
public sealed record PublishTotals
{
    /// <summary>Messages handed to the client.</summary>
    public required long Published { get; init; }

    /// <summary>Messages the brokers acknowledged (all in-sync replicas).</summary>
    public required long Delivered { get; init; }

    /// <summary>Messages reported failed, or never reported within the flush's time limit.</summary>
    public required long Failed { get; init; }

    /// <summary>The first delivery error, naming the bootstrap servers; null when nothing failed.</summary>
    public string? FirstError { get; init; }
}
