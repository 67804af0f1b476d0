using System.Globalization;

namespace Amlfs.Parquet.Import;

/// <summary>
/// The alerts of an AMLSim run, from the files its converter (<c>scripts/convert_logs.py</c>) writes beside the
/// transactions: <c>alert_transactions.csv</c> (<c>alert_id, alert_type, tran_id, orig_acct, bene_acct, ...</c>) and
/// <c>alert_accounts.csv</c> (<c>alert_id, alert_type, acct_id, ...</c>), columns found by name since their order
/// follows the run's schema. <c>alert_type</c> is the pattern kind of the alert (<c>fan_in</c>, <c>cycle</c>, ...).
/// A transfer is tied to an alert by its alert id, else by its <c>tran_id</c>, else by its two accounts when the
/// alerts that list that pair of accounts all have one kind.
/// </summary>
internal sealed class AmlsimAlerts
{
    public const string TransactionsFile = "alert_transactions.csv";
    public const string AccountsFile = "alert_accounts.csv";

    private readonly Dictionary<string, string> _byAlert = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byTransaction = new(StringComparer.Ordinal);

    // Null for a pair of accounts listed in alerts of different kinds: it ties a transfer to none of them.
    private readonly Dictionary<(string Source, string Target), string?> _byPair = [];

    private readonly List<string> _files = [];

    /// <summary>The alert files read, in the order read.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>The alerts read.</summary>
    public int Count => _byAlert.Count;

    /// <summary>
    /// Reads the alert files of <paramref name="directory"/> that exist; a row that names no kind, or a kind of no
    /// typology (its alert then has <see cref="AmlsimImporter.UnknownTypology"/>), is an error in <paramref name="report"/>.
    /// </summary>
    public static AmlsimAlerts Read(string directory, ImportReport report)
    {
        var alerts = new AmlsimAlerts();
        foreach (var file in new[] { TransactionsFile, AccountsFile })
        {
            var path = Path.Combine(directory, file);
            if (!File.Exists(path))
                continue;
            using var reader = new StreamReader(path);
            alerts.ReadFile(reader, file, report);
            alerts._files.Add(file);
        }

        return alerts;
    }

    /// <summary>
    /// The typology of the alert <paramref name="alertId"/> (none when null, empty or negative, AMLSim's -1), else of
    /// the alert transaction <paramref name="transactionId"/>, else of the alerts of the pair of accounts; null when
    /// the transfer is tied to no alert.
    /// </summary>
    public string? TypologyOf(string? alertId, string? transactionId, string source, string target)
    {
        if (alertId is { Length: > 0 } && !alertId.StartsWith('-') && _byAlert.TryGetValue(alertId, out var byAlert))
            return byAlert;
        if (transactionId is not null && _byTransaction.TryGetValue(transactionId, out var byTransaction))
            return byTransaction;
        return _byPair.GetValueOrDefault((source, target));
    }

    private void ReadFile(TextReader reader, string fileName, ImportReport report)
    {
        var (columns, rows) = CsvLines.ReadNamed(reader, fileName, "alert_id,alert_type,...");
        var alertColumn = CsvLines.Column(columns, "alert_id");
        var typeColumn = CsvLines.Column(columns, "alert_type");
        if (alertColumn < 0 || typeColumn < 0)
            throw new ImportException($"{fileName}:1: expected the columns alert_id and alert_type, got '{string.Join(',', columns)}'");
        var transactionColumn = CsvLines.Column(columns, "tran_id");
        var sourceColumn = CsvLines.Column(columns, "orig_acct");
        var targetColumn = CsvLines.Column(columns, "bene_acct");

        foreach (var (line, text) in rows)
        {
            var fields = CsvLines.Split(text, columns.Length, out var error);
            if (fields is null)
            {
                report.AddError(new ImportError(fileName, line, error!));
                continue;
            }

            var kind = fields[typeColumn];
            var typology = PatternKinds.Typology(kind);
            if (typology is null)
            {
                report.AddError(new ImportError(fileName, line, string.Create(CultureInfo.InvariantCulture,
                    $"alert_type: '{kind}' is not an AMLSim pattern kind ({PatternKinds.Known}); alert {fields[alertColumn]} is labelled {AmlsimImporter.UnknownTypology}")));
                typology = AmlsimImporter.UnknownTypology;
            }

            _byAlert.TryAdd(fields[alertColumn], typology);
            if (transactionColumn >= 0)
                _byTransaction.TryAdd(fields[transactionColumn], typology);
            if (sourceColumn >= 0 && targetColumn >= 0)
            {
                var pair = (AmlsimImporter.AccountId(fields[sourceColumn]), AmlsimImporter.AccountId(fields[targetColumn]));
                if (!_byPair.TryAdd(pair, typology) && _byPair[pair] != typology)
                    _byPair[pair] = null;
            }
        }
    }
}
