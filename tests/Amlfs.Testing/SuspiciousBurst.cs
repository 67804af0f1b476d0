using System.Globalization;
using System.Text.Json;

namespace Amlfs.Testing;

/// <summary>
/// A burst that the seed's rules decide HIGH: twelve payments of one customer in three minutes from five IP addresses,
/// then one of R$ 12,500 (above R$ 10,000, more than 3 IPs in the hour, more than 1.5 transactions a minute).
/// </summary>
public static class SuspiciousBurst
{
    /// <summary>The body of <c>POST /transactions</c> for <paramref name="customer"/> ending just before <paramref name="now"/>, and the id of its last, alerting payment.</summary>
    public static (string Json, string AlertId) For(string customer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var items = new List<Dictionary<string, object?>>();
        for (var i = 0; i < 12; i++)
            items.Add(Item($"{customer}-b{i}", customer, 90m + (i * 37), now.AddSeconds(-180 + (i * 14)), "MERCH_" + (i % 4), "177.20.9." + (i % 5)));
        var alert = $"{customer}-alert";
        items.Add(Item(alert, customer, 12_500m, now.AddSeconds(-1), "MERCH_9", "177.20.9.99"));
        return (JsonSerializer.Serialize(items), alert);
    }

    /// <summary>One transaction as a client writes it.</summary>
    public static Dictionary<string, object?> Item(string id, string customer, decimal amount, DateTimeOffset at, string merchant, string? ip) => new()
    {
        ["transaction_id"] = id,
        ["customer_id"] = customer,
        ["merchant_id"] = merchant,
        ["amount"] = amount,
        ["timestamp"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["ip_address"] = ip,
    };
}
