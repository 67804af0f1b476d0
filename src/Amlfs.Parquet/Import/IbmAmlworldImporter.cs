using System.Collections.Frozen;
using System.Globalization;
using Amlfs.OfflineStore;
using Amlfs.Transactions;

namespace Amlfs.Parquet.Import;

/// <summary>
/// Reads IBM AMLworld transaction files (Altman et al., NeurIPS 2023; the HI-Small, LI-Large, ... <c>*_Trans.csv</c>
/// files). Mapping:
/// <list type="bullet">
/// <item>Every row is a transfer between two accounts (<see cref="DestinationType.Account"/>):
/// <c>customer_id</c> = <see cref="AccountId"/>(From Bank, Account), the paying account, and
/// <c>merchant_id</c> = <see cref="AccountId"/>(To Bank, Account.1), the receiving one, so that an account has one id
/// whether it pays or receives.</item>
/// <item><c>amount</c> = Amount Paid, rounded half to even to the cent when it has more decimals (Bitcoin amounts have
/// six), the rounded rows counted; an amount that rounds to 0.00 is a row error. Amount Received is not kept.</item>
/// <item><c>currency</c> = Payment Currency as its ISO 4217 code (<see cref="Currencies"/>; Bitcoin is XBT); an unknown
/// name is a row error.</item>
/// <item><c>payment_format</c> = Payment Format as written (Reinvestment, Cheque, ACH, Credit Card, Wire, Cash, Bitcoin).</item>
/// <item><c>timestamp</c> = the Timestamp minute (<c>yyyy/MM/dd HH:mm</c>) read as UTC.</item>
/// <item><c>transaction_id</c> = <c>ibm-{line}</c>, the 1-based line number in the file (the header is line 1), so that
/// importing the same file again gives the same ids, which ingest then counts as duplicates.</item>
/// <item>Is Laundering 1 is suspicious, 0 is normal. A suspicious row takes the typology of the laundering attempt
/// IBM's patterns file (<see cref="IbmAmlworldPatterns"/>) lists it in, matched by its whole row; without a patterns
/// file, or when the file does not list it, <see cref="Typology"/>.</item>
/// </list>
/// </summary>
public static class IbmAmlworldImporter
{
    /// <summary>The format's name on the command line.</summary>
    public const string FormatName = "ibm-amlworld";

    /// <summary>The typology of a laundering row of no known attempt: read without a patterns file, or missing from it.</summary>
    public const string Typology = "ibm_laundering";

    /// <summary>The header the file must start with.</summary>
    public static IReadOnlyList<string> Header { get; } =
    [
        "Timestamp", "From Bank", "Account", "To Bank", "Account.1", "Amount Received", "Receiving Currency",
        "Amount Paid", "Payment Currency", "Payment Format", "Is Laundering",
    ];

    /// <summary>The dataset's currency names and their ISO 4217 codes (XBT, the customary code for Bitcoin, is not ISO's).</summary>
    public static IReadOnlyDictionary<string, string> Currencies { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["US Dollar"] = "USD",
        ["Euro"] = "EUR",
        ["Yuan"] = "CNY",
        ["Yen"] = "JPY",
        ["UK Pound"] = "GBP",
        ["Rupee"] = "INR",
        ["Ruble"] = "RUB",
        ["Canadian Dollar"] = "CAD",
        ["Australian Dollar"] = "AUD",
        ["Swiss Franc"] = "CHF",
        ["Mexican Peso"] = "MXN",
        ["Brazil Real"] = "BRL",
        ["Shekel"] = "ILS",
        ["Saudi Riyal"] = "SAR",
        ["Bitcoin"] = "XBT",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private const string TimestampFormat = "yyyy/MM/dd HH:mm";

    /// <summary>
    /// The id of an account: <c>{bank}:{account}</c>, a numeric bank code without leading zeros. IBM's files write bank
    /// codes zero-padded ("010") and tools that read them as numbers write them without ("10"), the patterns files keep
    /// the padding: without it, the same account would get two ids.
    /// </summary>
    public static string AccountId(string bank, string account)
    {
        ArgumentNullException.ThrowIfNull(bank);
        ArgumentNullException.ThrowIfNull(account);
        var unpadded = bank.All(char.IsAsciiDigit) && bank.Length > 1 ? bank.TrimStart('0') : bank;
        return (unpadded.Length == 0 ? "0" : unpadded) + ":" + account;
    }

    /// <summary>
    /// Reads the file at <paramref name="path"/>, its laundering rows labelled from <paramref name="patterns"/> when
    /// given; a missing file or a wrong header is an <see cref="ImportException"/>.
    /// </summary>
    public static IReadOnlyList<LabeledTransaction> ReadFile(string path, ImportReport report, IbmAmlworldPatterns? patterns = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new ImportException($"{path}: no such file; expected an IBM AMLworld transactions CSV file");
        using var reader = new StreamReader(path);
        return Read(reader, Path.GetFileName(path), report, patterns).ToList();
    }

    /// <summary>
    /// Reads the rows of <paramref name="reader"/> lazily; <paramref name="fileName"/> names the file in errors. Rejected
    /// rows are counted in <paramref name="report"/> and not yielded. A laundering row found in
    /// <paramref name="patterns"/> takes the typology of its attempt; one not found, or every one without patterns,
    /// takes <see cref="Typology"/>. The report's notes say which, once the rows are read.
    /// </summary>
    public static IEnumerable<LabeledTransaction> Read(TextReader reader, string fileName, ImportReport report, IbmAmlworldPatterns? patterns = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(report);
        var (matchedBefore, suspiciousBefore) = (report.Matched, report.Suspicious);
        foreach (var (line, text) in CsvLines.Read(reader, fileName, Header))
        {
            report.Read();
            var row = Parse(line, text, patterns, out var suspicious, out var rounded, out var matched, out var error);
            if (row is null)
            {
                report.Reject(new ImportError(fileName, line, error!), suspicious);
                continue;
            }

            report.Accept(row.IsSuspicious == true, row.Typology, rounded, matched);
            yield return row;
        }

        var (matchedRows, laundering) = (report.Matched - matchedBefore, report.Suspicious - suspiciousBefore);
        if (patterns is null)
        {
            if (laundering > 0)
                report.AddNote($"no patterns file: the laundering rows are labelled {Typology}");
        }
        else
        {
            report.AddNote(string.Create(CultureInfo.InvariantCulture,
                $"{patterns.FileName}: {patterns.Attempts:N0} laundering attempts, {patterns.Rows:N0} transactions. Laundering rows found in it: {matchedRows:N0}, labelled with their attempt's typology; not found: {laundering - matchedRows:N0}, labelled {Typology}"));
        }
    }

    /// <summary>Reads an AMLworld timestamp, a minute in UTC; the error names the Timestamp field.</summary>
    internal static bool TryTimestamp(string text, out DateTime timestamp, out string? error)
    {
        error = DateTime.TryParseExact(text, TimestampFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out timestamp)
            ? null
            : $"Timestamp: '{text}' is not a {TimestampFormat} time";
        return error is null;
    }

    /// <summary>Whether the banks and accounts of both ends (fields 1 to 4) are given; the error names the empty one.</summary>
    internal static bool AccountsPresent(string[] fields, out string? error)
    {
        for (var i = 1; i <= 4; i++)
        {
            if (fields[i].Length == 0)
            {
                error = $"{Header[i]}: is empty";
                return false;
            }
        }

        error = null;
        return true;
    }

    private static LabeledTransaction? Parse(
        long line, string text, IbmAmlworldPatterns? patterns, out bool suspicious, out bool rounded, out bool matched, out string? error)
    {
        suspicious = false;
        rounded = false;
        matched = false;
        var fields = CsvLines.Split(text, Header.Count, out error);
        if (fields is null)
            return null;

        // The label first, so that a rejected laundering row is still counted as one.
        switch (fields[10])
        {
            case "1":
                suspicious = true;
                break;
            case "0":
                break;
            default:
                error = $"Is Laundering: '{fields[10]}' must be 0 or 1";
                return null;
        }

        if (!TryTimestamp(fields[0], out var timestamp, out error) || !AccountsPresent(fields, out error))
            return null;

        if (!Currencies.TryGetValue(fields[8], out var currency))
        {
            error = $"Payment Currency: '{fields[8]}' is not a known currency name";
            return null;
        }

        if (ImportAmount.Parse(fields[7], "Amount Paid", currency, out rounded, out error) is not { } amount)
            return null;

        var input = new TransactionInput
        {
            TransactionId = "ibm-" + line.ToString(CultureInfo.InvariantCulture),
            CustomerId = AccountId(fields[1], fields[2]),
            MerchantId = AccountId(fields[3], fields[4]),
            DestinationType = DestinationTypes.Account,
            Amount = amount,
            Currency = currency,
            Timestamp = new DateTimeOffset(timestamp, TimeSpan.Zero),
            PaymentFormat = fields[9],
        };
        var errors = TransactionValidator.Validate(input, out var transaction);
        if (transaction is null)
        {
            error = string.Join("; ", errors);
            return null;
        }

        if (!suspicious)
            return new LabeledTransaction(transaction, false, Typologies.None);

        // A laundering row whose Amount Received is no number has no key, and so no attempt.
        var attempt = patterns is not null && AmlworldRowKey.Create(fields, out _) is { } key ? patterns.TypologyOf(key) : null;
        matched = attempt is not null;
        return new LabeledTransaction(transaction, true, attempt ?? Typology);
    }
}
