using System.Globalization;

namespace Amlfs.Parquet.Import;

/// <summary>
/// The laundering attempts of an IBM AMLworld dataset, read from its patterns file (<c>HI-Small_Patterns.txt</c>, ...):
/// blocks of the attempt's transactions, each line in the transactions file's own CSV format, between markers that name
/// the attempt's kind, the blocks apart by blank lines:
/// <code>
/// BEGIN LAUNDERING ATTEMPT - FAN-OUT:  Max 16-degree Fan-Out
/// 2022/09/01 00:06,021174,800737690,012,80011F990,2848.96,Euro,2848.96,Euro,ACH,1
/// END LAUNDERING ATTEMPT - FAN-OUT
/// </code>
/// The kinds are FAN-OUT, FAN-IN, CYCLE, GATHER-SCATTER, SCATTER-GATHER, BIPARTITE, STACK and RANDOM; what follows a
/// colon on the BEGIN line (the degree or the hops) is not kept. A row listed in two attempts keeps the first one's kind.
/// </summary>
public sealed class IbmAmlworldPatterns
{
    private const string BeginMarker = "BEGIN LAUNDERING ATTEMPT";
    private const string EndMarker = "END LAUNDERING ATTEMPT";

    private readonly Dictionary<AmlworldRowKey, string> _typologies;

    private IbmAmlworldPatterns(string fileName, Dictionary<AmlworldRowKey, string> typologies, int attempts, int rows)
    {
        FileName = fileName;
        _typologies = typologies;
        Attempts = attempts;
        Rows = rows;
    }

    /// <summary>The file's name, as reports show it.</summary>
    public string FileName { get; }

    /// <summary>The laundering attempts of the file, its BEGIN ... END blocks.</summary>
    public int Attempts { get; }

    /// <summary>The transaction lines of the file, a row listed twice counted twice.</summary>
    public int Rows { get; }

    /// <summary>
    /// Reads the file at <paramref name="path"/>. A missing file, or a line that is neither a marker, a transaction inside
    /// an attempt nor blank, is an <see cref="ImportException"/> naming the file and the line.
    /// </summary>
    public static IbmAmlworldPatterns ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new ImportException($"{path}: no such file; expected an IBM AMLworld patterns file such as HI-Small_Patterns.txt");
        using var reader = new StreamReader(path);
        return Read(reader, Path.GetFileName(path));
    }

    /// <summary>Reads a patterns file from <paramref name="reader"/>; <paramref name="fileName"/> names it in errors.</summary>
    public static IbmAmlworldPatterns Read(TextReader reader, string fileName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(fileName);
        var typologies = new Dictionary<AmlworldRowKey, string>();
        var (attempts, rows) = (0, 0);
        (long Line, string Kind, string Typology)? open = null;
        long line = 0;
        while (reader.ReadLine() is { } raw)
        {
            line++;
            var text = raw.TrimStart('\uFEFF').Trim();
            if (text.Length == 0)
                continue;

            if (text.StartsWith(BeginMarker, StringComparison.Ordinal))
            {
                if (open is { } unclosed)
                    throw Error(fileName, line, string.Create(CultureInfo.InvariantCulture,
                        $"a new attempt inside the {unclosed.Kind} attempt begun on line {unclosed.Line}; expected '{EndMarker} - {unclosed.Kind}' first"));
                var kind = Kind(text, BeginMarker) ?? throw Error(fileName, line, $"expected '{BeginMarker} - KIND', got '{text}'");
                var typology = PatternKinds.Typology(kind)
                    ?? throw Error(fileName, line, $"'{kind}' is not a laundering pattern kind ({PatternKinds.Known}, in any case, with hyphens)");
                open = (line, kind, typology);
                attempts++;
            }
            else if (text.StartsWith(EndMarker, StringComparison.Ordinal))
            {
                if (open is not { } attempt)
                    throw Error(fileName, line, $"'{text}' ends no attempt: no '{BeginMarker} - KIND' before it");
                if (Kind(text, EndMarker) is { } kind && PatternKinds.Typology(kind) != attempt.Typology)
                    throw Error(fileName, line, string.Create(CultureInfo.InvariantCulture, $"'{text}' ends the {attempt.Kind} attempt begun on line {attempt.Line}"));
                open = null;
            }
            else
            {
                if (open is not { } attempt)
                    throw Error(fileName, line, $"a transaction outside any attempt; expected '{BeginMarker} - KIND' before it");
                var fields = CsvLines.Split(text, IbmAmlworldImporter.Header.Count, out var error);
                if (fields is null || AmlworldRowKey.Create(fields, out error) is not { } key)
                    throw Error(fileName, line, error!);
                typologies.TryAdd(key, attempt.Typology);
                rows++;
            }
        }

        if (open is { } last)
            throw Error(fileName, last.Line, $"the {last.Kind} attempt begun here has no '{EndMarker}' line");
        return new IbmAmlworldPatterns(fileName, typologies, attempts, rows);
    }

    /// <summary>The typology of the attempt that lists the row of <paramref name="key"/>, or null.</summary>
    internal string? TypologyOf(AmlworldRowKey key) => _typologies.GetValueOrDefault(key);

    /// <summary>The kind after a marker and a hyphen, without what follows a colon; null when there is none.</summary>
    private static string? Kind(string text, string marker)
    {
        var rest = text[marker.Length..].TrimStart();
        if (!rest.StartsWith('-'))
            return null;
        rest = rest[1..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        var kind = (colon < 0 ? rest : rest[..colon]).Trim();
        return kind.Length == 0 ? null : kind;
    }

    private static ImportException Error(string fileName, long line, string message) =>
        new(new ImportError(fileName, line, message).ToString());
}
