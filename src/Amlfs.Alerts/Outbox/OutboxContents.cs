namespace Amlfs.Alerts.Outbox;

/// <summary>What opening the outbox found: the alerts kept (oldest first) and what it cut or dropped.</summary>
/// <param name="Alerts">The alerts kept: those with a delivery unsettled, and those raised within the retention.</param>
/// <param name="LastSequence">The highest alert sequence ever written (0 for a new outbox).</param>
/// <param name="TornBytes">Bytes of torn or damaged tail cut off the file.</param>
/// <param name="Dropped">Settled alerts older than the retention, compacted away.</param>
internal sealed record OutboxContents(IReadOnlyList<OutboxEntry> Alerts, long LastSequence, long TornBytes, int Dropped);
