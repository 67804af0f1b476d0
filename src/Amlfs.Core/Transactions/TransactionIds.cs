using System.Globalization;
using System.Security.Cryptography;

namespace Amlfs.Transactions;

/// <summary>
/// Ids the server makes for a transaction sent without one (the seed's <c>/predict</c> requests carry none):
/// <c>txn_</c>, the receive time in Unix milliseconds (13 digits until the year 2286), an underscore and 16 lowercase
/// hexadecimal digits of randomness, such as <c>txn_1695234567890_3f9a1c2b7d4e5f60</c>. The time makes them sort by
/// arrival and read like the seed's <c>txn_1695234567890</c>; the 64 random bits make two ids made in the same
/// millisecond, in any process, differ (a collision among a billion ids made in one millisecond has a probability
/// below 3 %, and among a thousand, below 10⁻¹³).
/// </summary>
public static class TransactionIds
{
    /// <summary>The prefix of every made id.</summary>
    public const string Prefix = "txn_";

    /// <summary>A new id for a transaction received at <paramref name="receivedAt"/>.</summary>
    public static string New(DateTimeOffset receivedAt)
    {
        Span<byte> random = stackalloc byte[8];
        RandomNumberGenerator.Fill(random);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Prefix}{receivedAt.ToUnixTimeMilliseconds()}_{Convert.ToHexStringLower(random)}");
    }
}
