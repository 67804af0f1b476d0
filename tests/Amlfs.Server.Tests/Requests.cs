using System.Globalization;
using System.Text.Json;

namespace Amlfs.Server.Tests;

/// <summary>JSON bodies of transactions, written the way a client writes them.</summary>
internal static class Requests
{
    public static string Transaction(
        string id, string customer, decimal amount, DateTimeOffset? at = null, string merchant = "MERCH_000001",
        string? ip = "10.0.0.1", bool? record = null)
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
        if (record is { } r)
            fields["record"] = r;
        return JsonSerializer.Serialize(fields);
    }

    public static string Array(IEnumerable<string> items) => "[" + string.Join(",", items) + "]";
}
