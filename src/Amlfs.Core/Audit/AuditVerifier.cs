using System.Globalization;

namespace Amlfs.Audit;

/// <summary>
/// Checks an audit trail from its first record: every line a well-formed record (<see cref="AuditFormat"/>), sequences
/// 1, 2, 3... with no gap or repeat (within and across files, each file starting at the sequence its name gives), each
/// <c>prev</c> the hash of the record before, and each <c>hash</c> the SHA-256 of its own line. Stops at the first
/// record that fails: a record changed in place fails its own hash; a record deleted, inserted or moved breaks the
/// sequence at the first line that is out of place.
/// </summary>
/// <remarks>
/// The chain proves that no record before the last was changed, removed or reordered. Records cut off the end leave a
/// shorter chain that is still intact: keep the last hash <c>amlfs audit verify</c> prints somewhere else (a ticket, a
/// second system) and compare, to detect that too.
/// </remarks>
public static class AuditVerifier
{
    /// <summary>Verifies the trail of <paramref name="dataDirectory"/>; an absent trail is intact with no records.</summary>
    /// <exception cref="IOException">A file could not be read.</exception>
    public static AuditVerification Verify(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        var directory = AuditFiles.DirectoryOf(dataDirectory);
        var warnings = new List<string>();
        foreach (var torn in AuditFiles.TornFiles(directory))
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"{torn}: {new FileInfo(torn).Length} bytes of a torn record (an append a crash cut short), moved aside; not part of the chain"));
        }

        foreach (var stray in AuditFiles.StrayFiles(directory))
            warnings.Add($"{stray}: not a file of the audit trail; ignored");

        long records = 0, lastSequence = 0;
        var lastHash = AuditFormat.GenesisHash;
        string? file = null;
        foreach (var line in AuditReader.Lines(dataDirectory))
        {
            var firstOfFile = line.File != file;
            file = line.File;
            if (!line.Terminated)
            {
                if (line.LastFile)
                {
                    warnings.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{line.File}: line {line.Number}: {line.Bytes.Length} bytes without a line end (a torn tail, or an append under way); the next append moves a torn tail aside"));
                    break;
                }

                return Broken(line, null, "the line has no line end, yet a newer file follows");
            }

            var record = AuditFormat.TryParse(line.Bytes.Span, out var problem);
            if (record is null)
                return Broken(line, null, problem!);
            if (record.Sequence != lastSequence + 1)
            {
                return Broken(line, record.Sequence, string.Create(CultureInfo.InvariantCulture,
                    $"sequence {record.Sequence} where {lastSequence + 1} was expected (a record removed, inserted or moved, or its sequence changed)"));
            }

            if (firstOfFile && record.Sequence != line.FirstSequence)
            {
                return Broken(line, record.Sequence, string.Create(CultureInfo.InvariantCulture,
                    $"the file's name says its first record is {line.FirstSequence}"));
            }

            if (record.Prev != lastHash)
                return Broken(line, record.Sequence, $"prev {record.Prev} is not the hash of the record before ({lastHash})");
            var computed = AuditFormat.ComputeHash(line.Bytes.Span);
            if (computed != record.Hash)
                return Broken(line, record.Sequence, $"hash {record.Hash} does not match the record's content (which hashes to {computed}): the record was changed");

            records++;
            lastSequence = record.Sequence;
            lastHash = record.Hash;
        }

        return new AuditVerification(records, lastSequence, lastHash, null, warnings);

        AuditVerification Broken(AuditLine line, long? sequence, string reason) =>
            new(records, lastSequence, lastHash, new AuditBreak(line.File, line.Number, sequence, reason), warnings);
    }
}
