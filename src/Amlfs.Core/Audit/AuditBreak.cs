namespace Amlfs.Audit;

/// <summary>The first record of an audit trail that fails verification, and why.</summary>
/// <param name="File">The file's full path.</param>
/// <param name="Line">The line in that file, from 1.</param>
/// <param name="Sequence">The sequence the line carries, when it could be read.</param>
/// <param name="Reason">What is wrong, in English.</param>
public sealed record AuditBreak(string File, long Line, long? Sequence, string Reason);
