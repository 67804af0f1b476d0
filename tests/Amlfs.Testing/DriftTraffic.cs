using System.Text.Json;

namespace Amlfs.Testing;

/// <summary>
/// Traffic for drift tests: one <c>POST /transactions</c> body of payments of 100 customers to 20 merchants from 50
/// IP addresses, 100 ms apart in time order and ending at a given instant, with amounts as <see cref="TestModels"/>'
/// training rows have them unless another distribution is given. Seeded: the same arguments give the same body.
/// </summary>
public static class DriftTraffic
{
    /// <summary>
    /// A body of <paramref name="count"/> transactions (ids <paramref name="prefix"/>-N), the last at <paramref name="end"/>;
    /// <paramref name="amount"/> draws each amount (by default <see cref="TestModels.TrainingAmount"/>).
    /// </summary>
    public static string Json(string prefix, int count, DateTimeOffset end, Func<Random, decimal>? amount = null, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        amount ??= TestModels.TrainingAmount;
        var random = new Random(seed);
        var items = Enumerable.Range(0, count).Select(i => SuspiciousBurst.Item(
            $"{prefix}-{i}", "CUST_D" + random.Next(100), amount(random), end.AddMilliseconds(-100.0 * (count - 1 - i)),
            "MERCH_D" + random.Next(20), "10.77.0." + random.Next(50)));
        return JsonSerializer.Serialize(items);
    }
}
