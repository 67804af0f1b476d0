using System.Globalization;

namespace Amlfs.Parquet.Import;

/// <summary>
/// Reads the transactions of AMLSim's own outputs, its columns found by name since their order follows the run's
/// schema: the converter's <c>transactions.csv</c> (<c>tran_id, orig_acct, bene_acct, tx_type, base_amt,
/// tran_timestamp, is_sar, alert_id, ...</c>; older schemas name the flag <c>is_fraud</c>) or, without it, the
/// simulator's <c>tx_log.csv</c> (<c>step, type, amount, nameOrig, ..., nameDest, ..., isSAR, alertID</c>).
/// <list type="bullet">
/// <item>A transfer is suspicious when its SAR flag is set (True or 1); a transfer of an alert that is no SAR (a false
/// alert) is not.</item>
/// <item>Day: <c>tran_timestamp</c>'s UTC date as written (AMLSim's base date plus the step), or for a step number
/// (tx_log.csv's <c>step</c>, 0-based) the day <see cref="AmlsimOptions.Start"/> + step.</item>
/// <item>A cash row (type CASH-IN or CASH-OUT, which only tx_log.csv holds) is rejected: it moves money between an
/// account and cash, not between two accounts.</item>
/// <item>When the directory has AMLSim's <c>accounts.csv</c>, both accounts of a transfer must be listed in it.</item>
/// </list>
/// </summary>
internal static class AmlsimLogReader
{
    public const string AccountsFile = "accounts.csv";

    private static readonly string[] SourceColumns = ["orig_acct", "nameOrig"];
    private static readonly string[] TargetColumns = ["bene_acct", "nameDest"];
    private static readonly string[] ValueColumns = ["base_amt", "amount"];
    private static readonly string[] TimeColumns = ["tran_timestamp", "step"];
    private static readonly string[] SarColumns = ["is_sar", "is_fraud", "isSAR"];
    private static readonly string[] AlertColumns = ["alert_id", "alertID"];
    private static readonly string[] TypeColumns = ["tx_type", "type"];

    private static readonly string[] DateFormats = ["yyyyMMdd", "yyyy-MM-dd"];

    /// <summary>Whether a header is one of AMLSim's own transaction files rather than a sample run's.</summary>
    public static bool Recognizes(string header)
    {
        var columns = header.Split(',');
        return CsvLines.Column(columns, SourceColumns) >= 0 && CsvLines.Column(columns, TargetColumns) >= 0;
    }

    public static AmlsimTransfers Read(string directory, string fileName, AmlsimOptions options, ImportReport report)
    {
        var accounts = ReadAccounts(directory, report);
        using var reader = new StreamReader(Path.Combine(directory, fileName));
        var (columns, lines) = CsvLines.ReadNamed(reader, fileName, "tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,is_sar,alert_id");
        var source = Required(columns, SourceColumns, fileName);
        var target = Required(columns, TargetColumns, fileName);
        var value = Required(columns, ValueColumns, fileName);
        var time = Required(columns, TimeColumns, fileName);
        var sar = Required(columns, SarColumns, fileName);
        var alert = Required(columns, AlertColumns, fileName);
        var type = CsvLines.Column(columns, TypeColumns);
        var id = CsvLines.Column(columns, "tran_id");

        var rows = new List<AmlsimTransfer>();
        foreach (var (line, text) in lines)
        {
            var fields = CsvLines.Split(text, columns.Length, out var error);
            if (fields is null)
            {
                rows.Add(AmlsimTransfer.Rejected(line, error!));
                continue;
            }

            rows.Add(Transfer(line, fields, columns, (source, target, value, time, sar, alert, type, id), accounts, options));
        }

        return new AmlsimTransfers(fileName, columns[value], rows);
    }

    private static AmlsimTransfer Transfer(
        long line, string[] fields, string[] columns,
        (int Source, int Target, int Value, int Time, int Sar, int Alert, int Type, int Id) at,
        HashSet<string>? accounts, AmlsimOptions options)
    {
        bool suspicious;
        switch (fields[at.Sar].ToLowerInvariant())
        {
            case "true" or "1":
                suspicious = true;
                break;
            case "false" or "0":
                suspicious = false;
                break;
            default:
                return AmlsimTransfer.Rejected(line, $"{columns[at.Sar]}: '{fields[at.Sar]}' must be True, False, 1 or 0");
        }

        if (!TryDay(fields[at.Time], columns[at.Time], options, out var day, out var error))
            return AmlsimTransfer.Rejected(line, error!, suspicious);
        if (at.Type >= 0 && fields[at.Type] is "CASH-IN" or "CASH-OUT")
            return AmlsimTransfer.Rejected(line, $"{columns[at.Type]}: '{fields[at.Type]}' is cash, not a transfer between two accounts", suspicious);
        foreach (var end in new[] { at.Source, at.Target })
        {
            if (fields[end].Length == 0)
                return AmlsimTransfer.Rejected(line, $"{columns[end]}: is empty", suspicious);
            if (accounts is not null && !accounts.Contains(fields[end]))
                return AmlsimTransfer.Rejected(line, $"{columns[end]}: '{fields[end]}' is not an account of {AccountsFile}", suspicious);
        }

        return new AmlsimTransfer(
            line, null, suspicious, day, AmlsimImporter.AccountId(fields[at.Source]), AmlsimImporter.AccountId(fields[at.Target]),
            fields[at.Value], fields[at.Alert], at.Id >= 0 ? fields[at.Id] : null);
    }

    /// <summary>The day of a date (ISO 8601, or yyyyMMdd) as written, or of a 0-based step from the options' start.</summary>
    private static bool TryDay(string text, string field, AmlsimOptions options, out DateOnly day, out string? error)
    {
        if (text.Length > 0 && text.All(char.IsAsciiDigit) && text.Length < DateFormats[0].Length)
        {
            var ok = AmlsimNodesReader.TryStep(text, field, 0, out var step, out error);
            day = ok ? options.Start.AddDays(step) : default;
            return ok;
        }

        error = null;
        if (DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
            return true;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            day = DateOnly.FromDateTime(time.UtcDateTime);
            return true;
        }

        error = $"{field}: '{text}' is neither a date nor a day step";
        return false;
    }

    private static int Required(string[] columns, string[] names, string fileName)
    {
        var index = CsvLines.Column(columns, names);
        return index >= 0
            ? index
            : throw new ImportException($"{fileName}:1: no column {string.Join(" or ", names)} in the header '{string.Join(',', columns)}'");
    }

    /// <summary>The account ids of accounts.csv (its acct_id column), or null without the file; a bad row is an error.</summary>
    private static HashSet<string>? ReadAccounts(string directory, ImportReport report)
    {
        var path = Path.Combine(directory, AccountsFile);
        if (!File.Exists(path))
            return null;

        using var reader = new StreamReader(path);
        var (columns, lines) = CsvLines.ReadNamed(reader, AccountsFile, "acct_id,...");
        var id = Required(columns, ["acct_id"], AccountsFile);
        var accounts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (line, text) in lines)
        {
            var fields = CsvLines.Split(text, columns.Length, out var error);
            if (fields is not null)
            {
                if (fields[id].Length == 0)
                    error = "acct_id: is empty";
                else if (!accounts.Add(fields[id]))
                    error = $"acct_id: '{fields[id]}' is listed twice";
            }

            if (error is not null)
                report.AddError(new ImportError(AccountsFile, line, error));
        }

        return accounts;
    }
}
