namespace Amlfs.Audit;

/// <summary>One file of the audit trail: its path, the UTC day it was started and the sequence of its first record.</summary>
internal sealed record AuditFile(string Path, DateOnly Day, long FirstSequence);
