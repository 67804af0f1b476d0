namespace Amlfs.Alerts.Outbox;

/// <summary>The kind of an outbox record (its type byte).</summary>
internal enum OutboxRecordType : byte
{
    Raised = 1,
    Outcome = 2,
}
