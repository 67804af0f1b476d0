using System.Text.RegularExpressions;

namespace Amlfs.Parquet.Import;

/// <summary>
/// The pattern kinds an AMLSim run's <c>metadata.txt</c> names on its <c>patterns:</c> line, as IBM's sample runs write
/// it: <c>patterns: 200 fan-in</c>, or several kinds apart by commas, semicolons or "and"
/// (<c>patterns: 100 fan-in, 50 cycle</c>). A count before a kind is optional and not kept; the other lines are not read.
/// </summary>
internal static partial class AmlsimMetadata
{
    public const string FileName = "metadata.txt";

    private const string PatternsKey = "patterns:";

    /// <summary>
    /// The distinct typologies <paramref name="directory"/>'s metadata.txt names, in its order: none without the file or
    /// its patterns line. A kind of no typology is an error of the file, added to <paramref name="report"/>.
    /// </summary>
    public static IReadOnlyList<string> Kinds(string directory, ImportReport report)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
            return [];

        var kinds = new List<string>();
        long line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            var trimmed = text.TrimStart('\uFEFF').Trim();
            if (!trimmed.StartsWith(PatternsKey, StringComparison.OrdinalIgnoreCase))
                continue;
            foreach (var item in Separator().Split(trimmed[PatternsKey.Length..]))
            {
                var kind = CountPrefix().Replace(item.Trim(), "").TrimEnd(',', ';', '.');
                if (kind.Length == 0)
                    continue;
                if (PatternKinds.Typology(kind) is not { } typology)
                    report.AddError(new ImportError(FileName, line, $"patterns: '{kind}' is not an AMLSim pattern kind ({PatternKinds.Known})"));
                else if (!kinds.Contains(typology))
                    kinds.Add(typology);
            }
        }

        return kinds;
    }

    /// <summary>A comma or semicolon followed by a space, or "and": not the comma of a count such as 1,000.</summary>
    [GeneratedRegex(@"[,;]\s+|;|\s+and\s+", RegexOptions.IgnoreCase)]
    private static partial Regex Separator();

    [GeneratedRegex(@"^[\d,]+\s+")]
    private static partial Regex CountPrefix();
}
