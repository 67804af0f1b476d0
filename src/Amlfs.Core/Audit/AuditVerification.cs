namespace Amlfs.Audit;

/// <summary>
/// The outcome of <see cref="AuditVerifier.Verify"/>: how many records chain correctly from the first, the last of them,
/// the first break when there is one, and what deserves a look without breaking the chain (torn tails moved aside,
/// files that are not part of the trail).
/// </summary>
/// <param name="Records">The records verified before the break (all of them when intact).</param>
/// <param name="LastSequence">The sequence of the last record verified; 0 when none.</param>
/// <param name="LastHash">The hash of the last record verified; <see cref="AuditFormat.GenesisHash"/> when none.</param>
/// <param name="Break">The first broken record; null when the chain is intact.</param>
/// <param name="Warnings">Findings that do not break the chain.</param>
public sealed record AuditVerification(long Records, long LastSequence, string LastHash, AuditBreak? Break, IReadOnlyList<string> Warnings)
{
    /// <summary>Whether every record chains and hashes correctly.</summary>
    public bool Intact => Break is null;
}
