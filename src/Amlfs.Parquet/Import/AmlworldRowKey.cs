using System.Globalization;

namespace Amlfs.Parquet.Import;

/// <summary>
/// An AMLworld transaction by its full row, Is Laundering aside: what ties a laundering row of a transactions file to
/// the same row in the patterns file. Tools that rewrite IBM's files drop the padding of bank codes ("021174" becomes
/// "21174") and the trailing zeros of amounts ("106.70" becomes "106.7"), so accounts are compared by
/// <see cref="IbmAmlworldImporter.AccountId"/> and amounts by value.
/// </summary>
internal readonly record struct AmlworldRowKey(
    DateTime Timestamp, string From, string To, string AmountReceived, string ReceivingCurrency, string AmountPaid,
    string PaymentCurrency, string PaymentFormat)
{
    /// <summary>The key of a row split into the 11 fields of <see cref="IbmAmlworldImporter.Header"/>, or null with the reason.</summary>
    public static AmlworldRowKey? Create(string[] fields, out string? error)
    {
        if (!IbmAmlworldImporter.TryTimestamp(fields[0], out var timestamp, out error)
            || !IbmAmlworldImporter.AccountsPresent(fields, out error)
            || Amount(fields, 5, out var received, out error) is null
            || Amount(fields, 7, out var paid, out error) is null)
            return null;

        return new AmlworldRowKey(
            timestamp, IbmAmlworldImporter.AccountId(fields[1], fields[2]), IbmAmlworldImporter.AccountId(fields[3], fields[4]),
            received, fields[6], paid, fields[8], fields[9]);
    }

    /// <summary>The amount without trailing zeros, so that equal amounts have one spelling.</summary>
    private static string? Amount(string[] fields, int index, out string value, out string? error)
    {
        if (!decimal.TryParse(fields[index], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            value = "";
            error = $"{IbmAmlworldImporter.Header[index]}: '{fields[index]}' is not a number";
            return null;
        }

        value = amount.ToString("0.############################", CultureInfo.InvariantCulture);
        error = null;
        return value;
    }
}
