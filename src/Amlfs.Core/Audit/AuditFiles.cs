using System.Globalization;
using Amlfs.OfflineStore;

namespace Amlfs.Audit;

/// <summary>
/// The files of the audit trail in <c>DATA/audit</c>: <c>audit-YYYYMMDD-SEQUENCE.jsonl</c>, named by the UTC day and the
/// sequence (20 digits) of their first record, in chain order by that sequence. A torn tail moved aside is kept beside
/// its file as <c>FILE.OFFSET.torn</c>; <c>.lock</c> serializes appends.
/// </summary>
internal static class AuditFiles
{
    public const string LockFileName = ".lock";
    public const string TornExtension = ".torn";
    private const string Prefix = "audit-";
    private const string Extension = ".jsonl";
    private const int SequenceDigits = 20;

    /// <summary>The path of the file whose first record is <paramref name="firstSequence"/>, written on <paramref name="day"/>.</summary>
    public static string PathOf(string directory, DateOnly day, long firstSequence) =>
        Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{Prefix}{day:yyyyMMdd}-{firstSequence:D20}{Extension}"));

    /// <summary>The files of the trail in chain order (by their first sequence); empty when there is none.</summary>
    public static IReadOnlyList<AuditFile> List(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, Prefix + "*" + Extension)
                .Select(Parse)
                .OfType<AuditFile>()
                .OrderBy(f => f.FirstSequence)
                .ToArray()
            : [];

    /// <summary>The torn tails moved aside, by name.</summary>
    public static IReadOnlyList<string> TornFiles(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*" + TornExtension).Order(StringComparer.Ordinal).ToArray() : [];

    /// <summary>The files in the directory that are neither part of the trail, nor torn tails, nor the lock.</summary>
    public static IReadOnlyList<string> StrayFiles(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory)
                .Where(f => Parse(f) is null && !f.EndsWith(TornExtension, StringComparison.Ordinal) && Path.GetFileName(f) != LockFileName)
                .Order(StringComparer.Ordinal)
                .ToArray()
            : [];

    /// <summary><c>DATA/audit</c>.</summary>
    public static string DirectoryOf(string dataDirectory) => DatasetLayout.AuditDirectory(Path.GetFullPath(dataDirectory));

    private static AuditFile? Parse(string path)
    {
        var name = Path.GetFileName(path.AsSpan());
        if (name.Length != Prefix.Length + 8 + 1 + SequenceDigits + Extension.Length || !name.StartsWith(Prefix, StringComparison.Ordinal)
            || !name.EndsWith(Extension, StringComparison.Ordinal) || name[Prefix.Length + 8] != '-')
        {
            return null;
        }

        var digits = name.Slice(Prefix.Length + 9, SequenceDigits);
        return DateOnly.TryParseExact(name.Slice(Prefix.Length, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            && !digits.ContainsAnyExceptInRange('0', '9')
            && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var first) && first >= 1
            ? new AuditFile(path, day, first)
            : null;
    }
}
