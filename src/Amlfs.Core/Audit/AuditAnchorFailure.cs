namespace Amlfs.Audit;

/// <summary>An anchor the trail does not confirm (<see cref="AuditVerifier.Verify(string, IReadOnlyCollection{AuditAnchor})"/>), and why.</summary>
/// <param name="Anchor">The record expected.</param>
/// <param name="Reason">What was found instead, in English: the record missing, or carrying another hash.</param>
public sealed record AuditAnchorFailure(AuditAnchor Anchor, string Reason);
