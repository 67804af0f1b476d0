using System.Globalization;
using System.Net;

namespace Amlfs.Synthetic;

/// <summary>
/// Plausible public IP addresses in canonical text form (the form <c>TransactionValidator.TryCanonicalIp</c> gives):
/// Brazilian ones from first octets that Brazilian broadband and mobile operators use and from LACNIC's 2804::/16,
/// foreign ones from first octets used in Europe, Asia and Africa. None is private or reserved.
/// </summary>
internal static class IpAddresses
{
    private static readonly int[] BrazilianFirstOctets = [177, 179, 186, 187, 189, 191, 200, 201];
    private static readonly int[] MobileFirstOctets = [177, 179, 189, 191];
    private static readonly int[] ForeignFirstOctets = [5, 31, 41, 45, 77, 91, 103, 104, 185, 196];

    public static string Brazilian(ref SeededRandom rng) => V4(BrazilianFirstOctets[rng.Next(BrazilianFirstOctets.Length)], ref rng);

    public static string Mobile(ref SeededRandom rng) => V4(MobileFirstOctets[rng.Next(MobileFirstOctets.Length)], ref rng);

    public static string Foreign(ref SeededRandom rng) => V4(ForeignFirstOctets[rng.Next(ForeignFirstOctets.Length)], ref rng);

    /// <summary>A Brazilian broadband IPv6 address: 2804::/16, a random /64 and a random interface id.</summary>
    public static string BrazilianV6(ref SeededRandom rng)
    {
        Span<byte> bytes = stackalloc byte[16];
        bytes[0] = 0x28;
        bytes[1] = 0x04;
        for (var i = 2; i < 16; i++)
            bytes[i] = (byte)rng.Next(256);
        bytes[8] |= 0x02; // a non-zero interface id, as SLAAC addresses have
        return new IPAddress(bytes).ToString();
    }

    private static string V4(int first, ref SeededRandom rng) =>
        string.Create(CultureInfo.InvariantCulture, $"{first}.{rng.Next(256)}.{rng.Next(256)}.{rng.Next(1, 255)}");
}
