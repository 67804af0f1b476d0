using System.Globalization;
using Amlfs.OfflineStore;
using Amlfs.Transactions;

namespace Amlfs.Parquet.Import;

/// <summary>
/// Reads the output directory of an IBM AMLSim run, in one of two layouts:
/// <list type="bullet">
/// <item>IBM's sample runs: <c>transactions.csv</c> (<c>sourceNodeId,targetNodeId,value,time</c>) with
/// <c>nodes.csv</c>, read by <see cref="AmlsimNodesReader"/>;</item>
/// <item>AMLSim's own outputs: the converter's <c>transactions.csv</c> (<c>tran_id, orig_acct, bene_acct, ...</c>) or
/// the simulator's <c>tx_log.csv</c>, with <c>accounts.csv</c> when present, read by <see cref="AmlsimLogReader"/>.</item>
/// </list>
/// Mapping, in both:
/// <list type="bullet">
/// <item>Every row is a transfer between two accounts (<see cref="DestinationType.Account"/>): <c>customer_id</c> is
/// the sending account and <c>merchant_id</c> the receiving one, both <see cref="AccountId"/>, so that an account has
/// one id whether it sends or receives.</item>
/// <item><c>amount</c>: the value, in <see cref="AmlsimOptions.Currency"/> (BRL by default), rounded to the cent by the
/// same rule as every import (half to even, counted; 0.00 is an error).</item>
/// <item><c>timestamp</c>: AMLSim gives days, no time of day, so the k-th of the n rows of a day (0-based, in file
/// order, counting every row whose day is valid) is placed at k x 86,400,000 / n milliseconds after its UTC midnight,
/// rounded down: the rows of a day are spread evenly over it, keep their file order, and have distinct times as long as
/// a day has at most 86.4 million.</item>
/// <item><c>transaction_id</c> = <c>amlsim-{line}</c>, the 1-based line in the transactions file (the header is line 1).</item>
/// <item>Typology of a suspicious transfer: the kind of the alert AMLSim's alert files tie it to
/// (<see cref="AmlsimAlerts"/>); else the kind the run's <c>metadata.txt</c> names when it names a single one
/// (<see cref="AmlsimMetadata"/>); else <see cref="UnknownTypology"/>. The report's notes say which.</item>
/// </list>
/// </summary>
public static class AmlsimImporter
{
    /// <summary>The format's name on the command line.</summary>
    public const string FormatName = "amlsim";

    /// <summary>
    /// The typology of a suspicious transfer whose kind the run does not say: tied to no alert, in a run whose metadata
    /// names no kind or several.
    /// </summary>
    public const string UnknownTypology = "amlsim_unknown";

    public const string TransactionsFile = "transactions.csv";
    public const string NodesFile = "nodes.csv";

    /// <summary>The simulator's raw log, read when the directory has no transactions.csv.</summary>
    public const string TransactionLogFile = "tx_log.csv";

    /// <summary>The header transactions.csv starts with in IBM's sample runs.</summary>
    public static IReadOnlyList<string> TransactionsHeader { get; } = ["sourceNodeId", "targetNodeId", "value", "time"];

    /// <summary>The header nodes.csv must start with.</summary>
    public static IReadOnlyList<string> NodesHeader { get; } = ["nodeid", "isFraud", "init_balance", "fraudStep"];

    private const long MillisecondsPerDay = 86_400_000;

    /// <summary>The id of an AMLSim account, whether it sends or receives: <c>ACCT_{id}</c>.</summary>
    public static string AccountId(string account) => "ACCT_" + account;

    /// <summary>
    /// Reads the run in <paramref name="directory"/>; a missing directory or file, or a header of neither layout, is an
    /// <see cref="ImportException"/>.
    /// </summary>
    public static IReadOnlyList<LabeledTransaction> ReadDirectory(string directory, AmlsimOptions options, ImportReport report)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(report);
        if (options.Validate() is [var problem, ..])
            throw new ArgumentException(problem, nameof(options));
        const string expected = $"expected an AMLSim output directory with {TransactionsFile} (and {NodesFile}, as IBM's sample runs have) or {TransactionLogFile}";
        if (!Directory.Exists(directory))
            throw new ImportException($"{directory}: no such directory; {expected}");

        var transfers = ReadTransfers(directory, options, report)
            ?? throw new ImportException($"{directory}: no {TransactionsFile} nor {TransactionLogFile}; {expected}");
        return Import(transfers, AmlsimAlerts.Read(directory, report), AmlsimMetadata.Kinds(directory, report), options, report);
    }

    /// <summary>The rows of the directory's transactions file, read in its layout; null when it has none.</summary>
    private static AmlsimTransfers? ReadTransfers(string directory, AmlsimOptions options, ImportReport report)
    {
        var transactions = Path.Combine(directory, TransactionsFile);
        if (!File.Exists(transactions))
        {
            return File.Exists(Path.Combine(directory, TransactionLogFile))
                ? AmlsimLogReader.Read(directory, TransactionLogFile, options, report)
                : null;
        }

        var header = (File.ReadLines(transactions).FirstOrDefault() ?? "").TrimStart('\uFEFF').TrimEnd('\r');
        if (AmlsimLogReader.Recognizes(header))
            return AmlsimLogReader.Read(directory, TransactionsFile, options, report);
        if (header.Length > 0 && !header.StartsWith(TransactionsHeader[0] + ",", StringComparison.Ordinal))
        {
            throw new ImportException(
                $"{TransactionsFile}:1: expected the header '{string.Join(',', TransactionsHeader)}' or AMLSim's columns (tran_id,orig_acct,bene_acct,...), got '{header}'");
        }

        return AmlsimNodesReader.Read(directory, options, report);
    }

    private static List<LabeledTransaction> Import(
        AmlsimTransfers transfers, AmlsimAlerts alerts, IReadOnlyList<string> kinds, AmlsimOptions options, ImportReport report)
    {
        var fallback = kinds is [var only] ? only : UnknownTypology;
        var (matchedBefore, suspiciousBefore) = (report.Matched, report.Suspicious);

        // Two passes: a row's time of day depends on how many rows its day has.
        var perDay = transfers.Rows.Where(t => t.Error is null).CountBy(t => t.Day).ToDictionary();
        var positions = new Dictionary<DateOnly, int>();
        var currency = options.Currency.ToUpperInvariant();
        var result = new List<LabeledTransaction>(transfers.Rows.Count);
        foreach (var transfer in transfers.Rows)
        {
            report.Read();
            var error = transfer.Error;
            if (error is null)
            {
                var k = positions.GetValueOrDefault(transfer.Day);
                positions[transfer.Day] = k + 1;
                var dayStart = new DateTimeOffset(transfer.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                var timestamp = dayStart.AddMilliseconds(k * MillisecondsPerDay / perDay[transfer.Day]);
                if (Label(transfer, timestamp, transfers, currency, alerts, fallback, out var rounded, out var matched, out error) is { } row)
                {
                    report.Accept(transfer.Suspicious, row.Typology, rounded, matched);
                    result.Add(row);
                    continue;
                }
            }

            report.Reject(new ImportError(transfers.FileName, transfer.Line, error!), transfer.Suspicious);
        }

        Explain(alerts, kinds, fallback, report.Matched - matchedBefore, report.Suspicious - suspiciousBefore, report);
        return result;
    }

    private static LabeledTransaction? Label(
        AmlsimTransfer transfer, DateTimeOffset timestamp, AmlsimTransfers transfers, string currency, AmlsimAlerts alerts,
        string fallback, out bool rounded, out bool matched, out string? error)
    {
        matched = false;
        if (ImportAmount.Parse(transfer.Value, transfers.ValueField, currency, out rounded, out error) is not { } amount)
            return null;

        var input = new TransactionInput
        {
            TransactionId = "amlsim-" + transfer.Line.ToString(CultureInfo.InvariantCulture),
            CustomerId = transfer.Source,
            MerchantId = transfer.Target,
            DestinationType = DestinationTypes.Account,
            Amount = amount,
            Currency = currency,
            Timestamp = timestamp,
        };
        var errors = TransactionValidator.Validate(input, out var transaction);
        if (transaction is null)
        {
            error = string.Join("; ", errors);
            return null;
        }

        if (!transfer.Suspicious)
            return new LabeledTransaction(transaction, false, Typologies.None);

        var alert = alerts.TypologyOf(transfer.AlertId, transfer.TransactionId, transfer.Source, transfer.Target);
        matched = alert is not null && alert != UnknownTypology;
        return new LabeledTransaction(transaction, true, alert ?? fallback);
    }

    /// <summary>Says in the report where the typologies of the suspicious transfers came from.</summary>
    private static void Explain(AmlsimAlerts alerts, IReadOnlyList<string> kinds, string fallback, long matched, long suspicious, ImportReport report)
    {
        var invariant = CultureInfo.InvariantCulture;
        if (alerts.Files.Count > 0)
        {
            report.AddNote(string.Create(invariant,
                $"{string.Join(", ", alerts.Files)}: {alerts.Count:N0} alerts; suspicious transfers tied to one: {matched:N0}, labelled with its kind"));
        }

        var unmatched = suspicious - matched;
        if (unmatched == 0)
            return;
        var untied = alerts.Files.Count > 0
            ? string.Create(invariant, $"suspicious transfers tied to no alert: {unmatched:N0}")
            : string.Create(invariant, $"suspicious transfers tied to no alert (the run has no alert files): {unmatched:N0}");
        report.AddNote(kinds.Count switch
        {
            1 => $"{untied}; labelled {fallback}, the one pattern kind {AmlsimMetadata.FileName} names",
            0 => $"{untied}; labelled {UnknownTypology}: nothing in the run names their pattern kind",
            _ => $"{untied}; labelled {UnknownTypology}: {AmlsimMetadata.FileName} names several pattern kinds ({string.Join(", ", kinds)})",
        });
    }
}
