using Amlfs.Transactions;

namespace Amlfs.Benchmarks.Engine;

/// <summary>A deterministic stream of transactions: customers and merchants drawn from fixed pools, time advancing.</summary>
internal static class BenchmarkStream
{
    public static readonly long Start = new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    public static Transaction[] Create(int count, int customers, int merchants, long startMs, long spacingMs, int seed, string idPrefix)
    {
        var random = new Random(seed);
        var customerIds = Enumerable.Range(0, customers).Select(i => $"CUST_{i:D6}").ToArray();
        var merchantIds = Enumerable.Range(0, merchants).Select(i => $"MERCH_{i:D5}").ToArray();
        var ips = Enumerable.Range(0, customers * 2).Select(i => $"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}").ToArray();
        var result = new Transaction[count];
        for (var i = 0; i < count; i++)
        {
            var c = random.Next(customers);
            result[i] = new Transaction
            {
                TransactionId = $"{idPrefix}{i}",
                CustomerId = customerIds[c],
                MerchantId = merchantIds[random.Next(merchants)],
                AmountCents = 100 + random.Next(500_000),
                TimestampMs = startMs + i * spacingMs,
                IpAddress = ips[c * 2 + random.Next(2)],
            };
        }

        return result;
    }
}
