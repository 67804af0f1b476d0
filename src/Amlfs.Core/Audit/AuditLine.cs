namespace Amlfs.Audit;

/// <summary>One line of an audit file as stored, without its <c>\n</c>.</summary>
/// <param name="File">The file's full path.</param>
/// <param name="Number">The line number in the file, from 1.</param>
/// <param name="Bytes">The line's bytes.</param>
/// <param name="Terminated">False for bytes after the file's last <c>\n</c>: a torn tail, or an append under way.</param>
/// <param name="LastFile">Whether the file is the newest of the trail.</param>
/// <param name="FirstSequence">The sequence the file's name says its first record has.</param>
public sealed record AuditLine(string File, long Number, ReadOnlyMemory<byte> Bytes, bool Terminated, bool LastFile, long FirstSequence);
