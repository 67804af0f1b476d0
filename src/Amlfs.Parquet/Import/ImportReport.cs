namespace Amlfs.Parquet.Import;

/// <summary>
/// What an importer read, kept and rejected. Every data row is either imported or rejected, so
/// <see cref="RowsRead"/> = <see cref="Imported"/> + <see cref="Rejected"/>; errors in side files (AMLSim's nodes.csv,
/// accounts.csv, alert files and metadata.txt) are counted in <see cref="ErrorCount"/> only. The first <see cref="MaxKeptErrors"/> errors are kept to show.
/// </summary>
public sealed class ImportReport
{
    /// <summary>How many errors are kept with their text; the rest are only counted.</summary>
    public const int MaxKeptErrors = 20;

    private readonly List<ImportError> _errors = [];
    private readonly List<string> _notes = [];
    private readonly Dictionary<string, long> _byTypology = new(StringComparer.Ordinal);

    /// <summary>Data rows read from the transactions file, header excluded.</summary>
    public long RowsRead { get; private set; }

    public long Imported { get; private set; }

    public long Rejected { get; private set; }

    /// <summary>Imported rows labelled suspicious.</summary>
    public long Suspicious { get; private set; }

    /// <summary>Rows the source labels suspicious that were rejected, so the label count of the source can be reconciled.</summary>
    public long SuspiciousRejected { get; private set; }

    /// <summary>Imported rows whose amount had more than 2 decimal places and was rounded to the cent.</summary>
    public long AmountsRounded { get; private set; }

    /// <summary>Every error, those of side files included.</summary>
    public long ErrorCount { get; private set; }

    /// <summary>The first <see cref="MaxKeptErrors"/> errors, in the order they were found.</summary>
    public IReadOnlyList<ImportError> Errors => _errors;

    /// <summary>Imported suspicious rows by typology.</summary>
    public IReadOnlyDictionary<string, long> ByTypology => _byTypology;

    /// <summary>
    /// Imported suspicious rows whose typology is that of the laundering pattern or alert the source ties them to
    /// (an AMLworld patterns file, AMLSim's alert files).
    /// </summary>
    public long Matched { get; private set; }

    /// <summary>
    /// Imported suspicious rows the source ties to no pattern or alert, labelled with the one kind the source names or
    /// with a generic typology; <see cref="Notes"/> says which.
    /// </summary>
    public long Unmatched => Suspicious - Matched;

    /// <summary>How the importer labelled the rows, in sentences to show with the summary.</summary>
    public IReadOnlyList<string> Notes => _notes;

    internal void Read() => RowsRead++;

    /// <summary>Counts an imported row; <paramref name="matched"/> when its typology is that of its pattern or alert.</summary>
    internal void Accept(bool suspicious, string typology, bool rounded, bool matched)
    {
        Imported++;
        if (rounded)
            AmountsRounded++;
        if (!suspicious)
            return;
        Suspicious++;
        if (matched)
            Matched++;
        _byTypology[typology] = _byTypology.GetValueOrDefault(typology) + 1;
    }

    internal void AddNote(string note) => _notes.Add(note);

    /// <summary>Rejects a data row.</summary>
    internal void Reject(ImportError error, bool suspicious)
    {
        Rejected++;
        if (suspicious)
            SuspiciousRejected++;
        AddError(error);
    }

    /// <summary>Records an error of a side file, which is no transaction row.</summary>
    internal void AddError(ImportError error)
    {
        ErrorCount++;
        if (_errors.Count < MaxKeptErrors)
            _errors.Add(error);
    }
}
