using System.Globalization;

namespace Amlfs.Parquet.Import;

/// <summary>
/// Reads an AMLSim run in the layout of IBM's sample runs: <c>transactions.csv</c>
/// (<c>sourceNodeId,targetNodeId,value,time</c>) and <c>nodes.csv</c> (<c>nodeid,isFraud,init_balance,fraudStep</c>).
/// Both accounts of a transfer must be listed in nodes.csv. Step <c>time</c> (1-based) is the day
/// <see cref="AmlsimOptions.Start"/> + (time - 1). AMLSim labels accounts, not transfers: a transfer is suspicious when
/// both its accounts are fraud accounts, the transfers inside a laundering pattern; one between a fraud account and a
/// normal one (a mule's ordinary spending) is not.
/// </summary>
internal static class AmlsimNodesReader
{
    /// <summary>Steps beyond this are errors: they would land after the year 2500 that transactions must precede.</summary>
    public const int MaxStep = 100_000;

    public static AmlsimTransfers Read(string directory, AmlsimOptions options, ImportReport report)
    {
        var nodesPath = Path.Combine(directory, AmlsimImporter.NodesFile);
        if (!File.Exists(nodesPath))
            throw new ImportException($"{directory}: no {AmlsimImporter.NodesFile}; a {AmlsimImporter.TransactionsFile} with the header '{string.Join(',', AmlsimImporter.TransactionsHeader)}' needs the {AmlsimImporter.NodesFile} of its accounts");

        Dictionary<string, bool> fraud;
        using (var nodes = new StreamReader(nodesPath))
            fraud = ReadNodes(nodes, report);

        using var transactions = new StreamReader(Path.Combine(directory, AmlsimImporter.TransactionsFile));
        var rows = new List<AmlsimTransfer>();
        foreach (var (line, text) in CsvLines.Read(transactions, AmlsimImporter.TransactionsFile, AmlsimImporter.TransactionsHeader))
            rows.Add(Transfer(line, text, fraud, options));
        return new AmlsimTransfers(AmlsimImporter.TransactionsFile, "value", rows);
    }

    private static AmlsimTransfer Transfer(long line, string text, Dictionary<string, bool> fraud, AmlsimOptions options)
    {
        var fields = CsvLines.Split(text, AmlsimImporter.TransactionsHeader.Count, out var error);
        if (fields is null)
            return AmlsimTransfer.Rejected(line, error!);
        if (!TryStep(fields[3], "time", 1, out var step, out error))
            return AmlsimTransfer.Rejected(line, error!);
        if (!fraud.TryGetValue(fields[0], out var sourceFraud))
            return AmlsimTransfer.Rejected(line, $"sourceNodeId: '{fields[0]}' is not an account of {AmlsimImporter.NodesFile}");
        if (!fraud.TryGetValue(fields[1], out var targetFraud))
            return AmlsimTransfer.Rejected(line, $"targetNodeId: '{fields[1]}' is not an account of {AmlsimImporter.NodesFile}");

        return new AmlsimTransfer(
            line, null, sourceFraud && targetFraud, options.Start.AddDays(step - 1),
            AmlsimImporter.AccountId(fields[0]), AmlsimImporter.AccountId(fields[1]), fields[2], null, null);
    }

    /// <summary>Reads a day step of <paramref name="field"/>, between <paramref name="first"/> (the run's first day) and <see cref="MaxStep"/>.</summary>
    public static bool TryStep(string text, string field, int first, out int step, out string? error)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out step))
        {
            error = $"{field}: '{text}' is not a whole number";
            return false;
        }

        if (step < first || step > MaxStep)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{field}: {step} must be a day step between {first} and {MaxStep}");
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>Every account of nodes.csv and whether it is a fraud account; a bad row is an error, its account unknown.</summary>
    private static Dictionary<string, bool> ReadNodes(TextReader nodes, ImportReport report)
    {
        var accounts = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var (line, text) in CsvLines.Read(nodes, AmlsimImporter.NodesFile, AmlsimImporter.NodesHeader))
        {
            var fields = CsvLines.Split(text, AmlsimImporter.NodesHeader.Count, out var error);
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
                report.AddError(new ImportError(AmlsimImporter.NodesFile, line, error));
        }

        return accounts;
    }
}
