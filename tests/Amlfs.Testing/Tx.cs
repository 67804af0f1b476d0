using Amlfs.Transactions;

namespace Amlfs.Testing;

/// <summary>Short-hand transactions for tests.</summary>
public static class Tx
{
    private static long _next;

    /// <summary>A transaction at <paramref name="timeMs"/>; the id is unique unless given.</summary>
    public static Transaction At(long timeMs, string customer = "CUST_1", string merchant = "MERCH_1",
        long cents = 100_00, string? ip = "10.0.0.1", string? id = null) => new()
        {
            TransactionId = id ?? $"T{Interlocked.Increment(ref _next)}",
            CustomerId = customer,
            MerchantId = merchant,
            AmountCents = cents,
            TimestampMs = timeMs,
            IpAddress = ip,
        };

    /// <summary>A transfer from the account <paramref name="from"/> to the account <paramref name="to"/> at <paramref name="timeMs"/>.</summary>
    public static Transaction Transfer(long timeMs, string from, string to, long cents = 100_00, string? id = null) =>
        At(timeMs, customer: from, merchant: to, cents: cents, id: id) with { DestinationType = DestinationType.Account };

    /// <summary>UTC milliseconds of a UTC date and time.</summary>
    public static long Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0, int ms = 0) =>
        new DateTimeOffset(year, month, day, hour, minute, second, ms, TimeSpan.Zero).ToUnixTimeMilliseconds();
}
