using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Amlfs.Engine;

/// <summary>
/// 64-bit fingerprints of strings (XXH3), never 0 so that 0 can mean "missing". Distinct counts compare
/// fingerprints: two different values collide with probability about n² / 2⁶⁵ (below 10⁻¹¹ for 10,000 values in
/// one window), which the documentation states as the exactness of distinct counts.
/// </summary>
internal static class Fingerprint
{
    public static ulong Of(string? value) => value is null ? 0 : Of(value.AsSpan());

    /// <summary>As <see cref="Of(string)"/>, of characters that need not be a string.</summary>
    public static ulong Of(ReadOnlySpan<char> value)
    {
        var hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(value));
        return hash == 0 ? 1 : hash;
    }

    /// <summary>
    /// The fingerprint of a merchant as a counterparty, from <see cref="Of(string)"/> of its id: a different value
    /// (a bijective mix), so that a merchant and an account spelled alike are two counterparties. 0 stays 0.
    /// </summary>
    public static ulong OfMerchant(ulong idFingerprint)
    {
        if (idFingerprint == 0)
            return 0;
        var x = idFingerprint ^ 0x9E37_79B9_7F4A_7C15UL;
        x = (x ^ (x >> 31)) * 0xBF58_476D_1CE4_E5B9UL;
        x ^= x >> 29;
        return x == 0 ? 1 : x;
    }

    /// <summary>A 128-bit fingerprint for transaction ids, where a collision would lose a payment as a false duplicate.</summary>
    public static UInt128 Of128(string value) => Of128(value.AsSpan());

    /// <summary>As <see cref="Of128(string)"/>, of characters that need not be a string.</summary>
    public static UInt128 Of128(ReadOnlySpan<char> value)
    {
        var hash = XxHash128.HashToUInt128(MemoryMarshal.AsBytes(value));
        return hash < 2 ? hash + 2 : hash; // 0 = empty slot, 1 = removed slot in TransactionIdSet
    }
}
