namespace Amlfs.Parquet.Import;

/// <summary>
/// A data row of an AMLSim transactions file, read but not yet priced nor placed in its day: a transfer from
/// <see cref="Source"/> to <see cref="Target"/> (account ids) of <see cref="Value"/> (as written) on <see cref="Day"/>,
/// or, with an <see cref="Error"/>, a rejected row. <see cref="Suspicious"/> is known as soon as the row's accounts or
/// flag are, so that a rejected suspicious row is still counted as one.
/// </summary>
internal readonly record struct AmlsimTransfer(
    long Line, string? Error, bool Suspicious, DateOnly Day, string Source, string Target, string Value, string? AlertId, string? TransactionId)
{
    public static AmlsimTransfer Rejected(long line, string error, bool suspicious = false) =>
        new(line, error, suspicious, default, "", "", "", null, null);
}
