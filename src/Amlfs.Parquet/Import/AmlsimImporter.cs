using System.Globalization;
using Amlfs.OfflineStore;
using Amlfs.Transactions;

namespace Amlfs.Parquet.Import;

/// <summary>
/// Reads the output of an IBM AMLSim run: a directory with <c>transactions.csv</c>
/// (<c>sourceNodeId,targetNodeId,value,time</c>) and <c>nodes.csv</c> (<c>nodeid,isFraud,init_balance,fraudStep</c>).
/// Mapping:
/// <list type="bullet">
/// <item>Every row is a transfer between two accounts (<see cref="DestinationType.Account"/>): <c>customer_id</c> =
/// <c>ACCT_{sourceNodeId}</c>, <c>merchant_id</c> = <c>ACCT_{targetNodeId}</c>, one id per account whether it sends or
/// receives; both accounts must be listed in nodes.csv.</item>
/// <item><c>amount</c> = value, in <see cref="AmlsimOptions.Currency"/> (BRL by default), rounded to the cent by the same
/// rule as every import (half to even, counted; 0.00 is an error).</item>
/// <item><c>timestamp</c>: step <c>time</c> (1-based day) is the UTC day <see cref="AmlsimOptions.Start"/> + (time - 1).
/// AMLSim gives no time of day, so the k-th of the n rows of a day (0-based, in file order, counting every row whose
/// <c>time</c> is valid) is placed at k x 86,400,000 / n milliseconds after midnight, rounded down: the rows of a day are
/// spread evenly over it, keep their file order, and have distinct times as long as a day has at most 86.4 million.</item>
/// <item><c>transaction_id</c> = <c>amlsim-{line}</c>, the 1-based line in transactions.csv (the header is line 1).</item>
/// <item>Label: AMLSim labels accounts, not transfers. A transfer is suspicious (typology <see cref="Typology"/>) when
/// both its source and its target are fraud accounts in nodes.csv: the transfers inside a laundering pattern. A transfer
/// between a fraud account and a normal one (a mule's ordinary spending) is not.</item>
/// </list>
/// </summary>
public static class AmlsimImporter
{
    /// <summary>The format's name on the command line.</summary>
    public const string FormatName = "amlsim";

    /// <summary>The typology of a transfer between two fraud accounts (the sample run's patterns are all fan-in).</summary>
    public const string Typology = "amlsim_fan_in";

    public const string TransactionsFile = "transactions.csv";
    public const string NodesFile = "nodes.csv";

    /// <summary>The header transactions.csv must start with.</summary>
    public static IReadOnlyList<string> TransactionsHeader { get; } = ["sourceNodeId", "targetNodeId", "value", "time"];

    /// <summary>The header nodes.csv must start with.</summary>
    public static IReadOnlyList<string> NodesHeader { get; } = ["nodeid", "isFraud", "init_balance", "fraudStep"];

    private const long MillisecondsPerDay = 86_400_000;

    /// <summary>Steps beyond this are errors: they would land after the year 2500 that transactions must precede.</summary>
    private const int MaxStep = 100_000;

    /// <summary>
    /// Reads the run in <paramref name="directory"/>; a missing directory or file, or a wrong header, is an
    /// <see cref="ImportException"/>.
    /// </summary>
    public static IReadOnlyList<LabeledTransaction> ReadDirectory(string directory, AmlsimOptions options, ImportReport report)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
            throw new ImportException($"{directory}: no such directory; expected an AMLSim output directory with {TransactionsFile} and {NodesFile}");
        var nodesPath = Path.Combine(directory, NodesFile);
        var transactionsPath = Path.Combine(directory, TransactionsFile);
        foreach (var path in new[] { transactionsPath, nodesPath })
        {
            if (!File.Exists(path))
                throw new ImportException($"{directory}: no {Path.GetFileName(path)}; expected an AMLSim output directory with {TransactionsFile} and {NodesFile}");
        }

        using var nodes = new StreamReader(nodesPath);
        using var transactions = new StreamReader(transactionsPath);
        return Read(nodes, transactions, options, report);
    }

    /// <summary>Reads a run from its two files; errors name them <see cref="NodesFile"/> and <see cref="TransactionsFile"/>.</summary>
    public static IReadOnlyList<LabeledTransaction> Read(TextReader nodes, TextReader transactions, AmlsimOptions options, ImportReport report)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(transactions);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(report);
        if (options.Validate() is [var problem, ..])
            throw new ArgumentException(problem, nameof(options));

        var accounts = ReadNodes(nodes, report);

        // Two passes: a row's time of day depends on how many rows its day has.
        var rows = new List<(long Line, string[]? Fields, int Step, string? Error)>();
        var perDay = new Dictionary<int, int>();
        foreach (var (line, text) in CsvLines.Read(transactions, TransactionsFile, TransactionsHeader))
        {
            var fields = CsvLines.Split(text, TransactionsHeader.Count, out var error);
            var step = 0;
            if (fields is not null && !TryStep(fields[3], out step, out error))
                fields = null;
            if (fields is not null)
                perDay[step] = perDay.GetValueOrDefault(step) + 1;
            rows.Add((line, fields, step, error));
        }

        var positions = new Dictionary<int, int>();
        var result = new List<LabeledTransaction>(rows.Count);
        foreach (var (line, fields, step, splitError) in rows)
        {
            report.Read();
            if (fields is null)
            {
                report.Reject(new ImportError(TransactionsFile, line, splitError!), suspicious: false);
                continue;
            }

            var k = positions.GetValueOrDefault(step);
            positions[step] = k + 1;
            var dayStart = new DateTimeOffset(options.Start.AddDays(step - 1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var timestamp = dayStart.AddMilliseconds(k * MillisecondsPerDay / perDay[step]);
            var row = Parse(line, fields, timestamp, accounts, options, out var suspicious, out var rounded, out var error);
            if (row is null)
            {
                report.Reject(new ImportError(TransactionsFile, line, error!), suspicious);
                continue;
            }

            report.Accept(row.IsSuspicious == true, row.Typology, rounded, matched: false);
            result.Add(row);
        }

        return result;
    }

    /// <summary>Every account of nodes.csv and whether it is a fraud account; a bad row is an error, its account unknown.</summary>
    private static Dictionary<string, bool> ReadNodes(TextReader nodes, ImportReport report)
    {
        var accounts = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var (line, text) in CsvLines.Read(nodes, NodesFile, NodesHeader))
        {
            var fields = CsvLines.Split(text, NodesHeader.Count, out var error);
            if (fields is not null)
            {
                if (fields[0].Length == 0)
                    error = "nodeid: is empty";
                else if (fields[1] is not ("0" or "1"))
                    error = $"isFraud: '{fields[1]}' must be 0 or 1";
                else if (!accounts.TryAdd(fields[0], fields[1] == "1"))
                    error = $"nodeid: '{fields[0]}' is listed twice";
            }

            if (error is not null)
                report.AddError(new ImportError(NodesFile, line, error));
        }

        return accounts;
    }

    private static bool TryStep(string text, out int step, out string? error)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out step))
        {
            error = $"time: '{text}' is not a whole number";
            return false;
        }

        if (step is < 1 or > MaxStep)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"time: {step} must be a day step between 1 and {MaxStep}");
            return false;
        }

        error = null;
        return true;
    }

    private static LabeledTransaction? Parse(
        long line, string[] fields, DateTimeOffset timestamp, Dictionary<string, bool> accounts, AmlsimOptions options,
        out bool suspicious, out bool rounded, out string? error)
    {
        suspicious = false;
        rounded = false;
        if (!accounts.TryGetValue(fields[0], out var sourceFraud))
        {
            error = $"sourceNodeId: '{fields[0]}' is not an account of {NodesFile}";
            return null;
        }

        if (!accounts.TryGetValue(fields[1], out var targetFraud))
        {
            error = $"targetNodeId: '{fields[1]}' is not an account of {NodesFile}";
            return null;
        }

        suspicious = sourceFraud && targetFraud;
        var currency = options.Currency.ToUpperInvariant();
        if (ImportAmount.Parse(fields[2], "value", currency, out rounded, out error) is not { } amount)
            return null;

        var input = new TransactionInput
        {
            TransactionId = "amlsim-" + line.ToString(CultureInfo.InvariantCulture),
            CustomerId = "ACCT_" + fields[0],
            MerchantId = "ACCT_" + fields[1],
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

        return new LabeledTransaction(transaction, suspicious, suspicious ? Typology : Typologies.None);
    }
}
