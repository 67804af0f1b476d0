namespace Amlfs.Audit;

/// <summary>
/// Reads an audit trail as stored, file by file in chain order, without taking the writers' lock (an append under way
/// shows as an unterminated last line). The one reader of the files: the verifier and the export go through it.
/// </summary>
public static class AuditReader
{
    /// <summary>Every line of every file of <paramref name="dataDirectory"/>'s trail, in chain order.</summary>
    public static IEnumerable<AuditLine> Lines(string dataDirectory)
    {
        var files = AuditFiles.List(AuditFiles.DirectoryOf(dataDirectory));
        for (var f = 0; f < files.Count; f++)
        {
            var file = files[f];
            byte[] bytes;
            using (var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                bytes = new byte[stream.Length];
                stream.ReadExactly(bytes);
            }

            var memory = bytes.AsMemory();
            var number = 0L;
            while (memory.Length > 0)
            {
                var end = memory.Span.IndexOf((byte)'\n');
                number++;
                if (end < 0)
                {
                    yield return new AuditLine(file.Path, number, memory, Terminated: false, f == files.Count - 1, file.FirstSequence);
                    break;
                }

                yield return new AuditLine(file.Path, number, memory[..end], Terminated: true, f == files.Count - 1, file.FirstSequence);
                memory = memory[(end + 1)..];
            }
        }
    }

    /// <summary>
    /// The records of the trail whose time is in [<paramref name="from"/>, <paramref name="to"/>) (either bound may be
    /// null: open), each with its stored line; an unterminated last line (a torn tail) is left out.
    /// </summary>
    /// <exception cref="InvalidDataException">A whole line is not a record.</exception>
    public static IEnumerable<(AuditRecord Record, AuditLine Line)> Records(string dataDirectory, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        foreach (var line in Lines(dataDirectory))
        {
            if (!line.Terminated)
                continue;
            var record = AuditFormat.TryParse(line.Bytes.Span, out var problem)
                ?? throw new InvalidDataException($"{line.File}: line {line.Number} is not an audit record ({problem}): run amlfs audit verify");
            if ((from is null || record.Time >= from) && (to is null || record.Time < to))
                yield return (record, line);
        }
    }
}
