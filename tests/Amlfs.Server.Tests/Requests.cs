using System.Globalization;
using System.Text.Json;

namespace Amlfs.Server.Tests;

/// <summary>JSON bodies of transactions, written the way a client writes them.</summary>
internal static class Requests
{
    public static string Transaction(
        string id, string customer, decimal amount, DateTimeOffset? at = null, string merchant = "MERCH_000001",
        string? ip = "10.0.0.1", bool? record = null, bool toAccount = false, string? device = null)
    {
        var fields = new Dictionary<string, object?>
        {
            ["transaction_id"] = id,
            ["customer_id"] = customer,
            ["merchant_id"] = merchant,
            ["amount"] = amount,
        };
        if (at is { } time)
            fields["timestamp"] = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        if (ip is not null)
            fields["ip_address"] = ip;
        if (device is not null)
            fields["device_id"] = device;
        if (record is { } r)
            fields["record"] = r;
        if (toAccount)
            fields["destination_type"] = "account";
        return JsonSerializer.Serialize(fields);
    }

    /// <summary>A transfer from the account <paramref name="from"/> to the account <paramref name="to"/>.</summary>
    public static string Transfer(string id, string from, string to, decimal amount, DateTimeOffset at) =>
        Transaction(id, from, amount, at, to, toAccount: true);

    /// <summary>The body a client posts for <paramref name="transaction"/>.</summary>
    public static string Of(Transactions.Transaction transaction) => Transaction(
        transaction.TransactionId, transaction.CustomerId, transaction.AmountCents / 100m,
        DateTimeOffset.FromUnixTimeMilliseconds(transaction.TimestampMs), transaction.MerchantId, transaction.IpAddress,
        toAccount: transaction.DestinationType == Transactions.DestinationType.Account);

    public static string Array(IEnumerable<string> items) => "[" + string.Join(",", items) + "]";
}
