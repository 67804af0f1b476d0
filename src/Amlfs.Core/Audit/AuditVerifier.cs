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
/// shorter chain that is still intact, and so does a trail rewritten from some record on with every later hash
/// recomputed: only an <see cref="AuditAnchor"/> kept outside the trail (the last record <c>amlfs audit verify</c>
/// printed, noted in a ticket or a second system) detects those.
/// </remarks>
public static class AuditVerifier
{
    /// <summary>Verifies the trail of <paramref name="dataDirectory"/>; an absent trail is intact with no records.</summary>
    /// <exception cref="IOException">A file could not be read.</exception>
    public static AuditVerification Verify(string dataDirectory) => Verify(dataDirectory, []);

    /// <summary>
    /// Verifies the trail of <paramref name="dataDirectory"/> and checks that each of <paramref name="anchors"/> is one of
    /// its records: an anchor whose record is missing (the trail ends before it: records were cut off the end), carries
    /// another hash (the trail was rewritten), or lies at or past the first break (it cannot be checked) is reported in
    /// <see cref="AuditVerification.AnchorFailures"/>.
    /// </summary>
    /// <exception cref="IOException">A file could not be read.</exception>
    public static AuditVerification Verify(string dataDirectory, IReadOnlyCollection<AuditAnchor> anchors)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        ArgumentNullException.ThrowIfNull(anchors);
        // The hashes of the anchored sequences, as the walk verifies them.
        var found = new Dictionary<long, string?>();
        foreach (var anchor in anchors)
            found.TryAdd(anchor.Sequence, null);
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
            if (found.ContainsKey(lastSequence))
                found[lastSequence] = lastHash;
        }

        return new AuditVerification(records, lastSequence, lastHash, null, warnings, Unconfirmed(null));

        AuditVerification Broken(AuditLine line, long? sequence, string reason)
        {
            var broken = new AuditBreak(line.File, line.Number, sequence, reason);
            return new(records, lastSequence, lastHash, broken, warnings, Unconfirmed(broken));
        }

        List<AuditAnchorFailure> Unconfirmed(AuditBreak? broken)
        {
            var failures = new List<AuditAnchorFailure>();
            foreach (var anchor in anchors)
            {
                var reason = found[anchor.Sequence] switch
                {
                    { } hash when hash == anchor.Hash => null,
                    { } hash => string.Create(CultureInfo.InvariantCulture,
                        $"record {anchor.Sequence} has hash {hash}: the trail was rewritten at or before that record with the hashes recomputed (or the anchor is another trail's)"),
                    null when broken is not null => string.Create(CultureInfo.InvariantCulture,
                        $"record {anchor.Sequence} not checked: the chain breaks before it, at {broken.File} line {broken.Line}"),
                    null => string.Create(CultureInfo.InvariantCulture,
                        $"record {anchor.Sequence} is missing: the trail ends at sequence {lastSequence}, so records were cut off its end"),
                };
                if (reason is not null)
                    failures.Add(new AuditAnchorFailure(anchor, reason));
            }

            return failures;
        }
    }
}
