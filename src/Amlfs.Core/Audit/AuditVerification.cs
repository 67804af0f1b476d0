namespace Amlfs.Audit;

/// <summary>
/// The outcome of <see cref="AuditVerifier.Verify(string, IReadOnlyCollection{AuditAnchor})"/>: how many records chain correctly from the first, the last of them,
/// the first break when there is one, the anchors it does not confirm, and what deserves a look without breaking the
/// chain (torn tails moved aside, files that are not part of the trail).
/// </summary>
/// <param name="Records">The records verified before the break (all of them when intact).</param>
/// <param name="LastSequence">The sequence of the last record verified; 0 when none.</param>
/// <param name="LastHash">The hash of the last record verified; <see cref="AuditFormat.GenesisHash"/> when none.</param>
/// <param name="Break">The first broken record; null when the chain is intact.</param>
/// <param name="Warnings">Findings that do not break the chain.</param>
/// <param name="AnchorFailures">
/// The anchors given to <see cref="AuditVerifier.Verify(string, IReadOnlyCollection{AuditAnchor})"/> that the trail does
/// not confirm, in the order given; empty when none was given or all hold.
/// </param>
public sealed record AuditVerification(
    long Records, long LastSequence, string LastHash, AuditBreak? Break, IReadOnlyList<string> Warnings, IReadOnlyList<AuditAnchorFailure> AnchorFailures)
{
    /// <summary>Whether every record chains and hashes correctly (anchors aside).</summary>
    public bool Intact => Break is null;

    /// <summary>The last record verified, as an anchor to keep; null when none was.</summary>
    public AuditAnchor? LastAnchor => Records == 0 ? null : new AuditAnchor(LastSequence, LastHash);
}
