using System.Security.Cryptography;
using System.Text;

namespace Amlfs.Privacy;

/// <summary>
/// Replaces IP addresses and device ids with keyed hashes wherever they leave the data directory's own stores (dead
/// letters, logs, exports): <c>ip_</c> or <c>dev_</c> followed by the first 16 bytes of
/// HMAC-SHA256(key, kind || 0x00 || UTF-8 value), in lowercase hex. One key gives one pseudonym for one value, so joins
/// and distinct counts over pseudonyms give what they give over the raw values; without the key a pseudonym cannot be
/// computed from a guessed value (an IPv4 address has only 2^32 values, so an unkeyed hash would be reversed by trying
/// them all). Thread-safe and allocation-light: one string per pseudonym.
/// </summary>
public sealed class Pseudonymizer
{
    /// <summary>The key's length in bytes when one is made (<see cref="Security.PseudonymKey"/>); shorter keys are refused.</summary>
    public const int KeyBytes = 32;

    /// <summary>The bytes of the HMAC that a pseudonym keeps (128 bits: no collision among any realistic set of values).</summary>
    public const int PseudonymBytes = 16;

    /// <summary>The prefix of an IP address's pseudonym.</summary>
    public const string IpPrefix = "ip_";

    /// <summary>The prefix of a device id's pseudonym.</summary>
    public const string DevicePrefix = "dev_";

    private readonly byte[] _key;

    /// <summary>A pseudonymizer with <paramref name="key"/> (at least <see cref="KeyBytes"/> bytes; copied).</summary>
    public Pseudonymizer(ReadOnlySpan<byte> key)
    {
        if (key.Length < KeyBytes)
            throw new ArgumentException($"a pseudonym key must have at least {KeyBytes} bytes, got {key.Length}", nameof(key));
        _key = key.ToArray();
    }

    /// <summary>Where the key came from, for messages: a file's path or the name of the setting; never the key.</summary>
    public string Source { get; init; } = "";

    /// <summary>The pseudonym of an IP address; null or empty stays as it is (no value is not personal data).</summary>
    public string? IpAddress(string? value) => Pseudonym(IpPrefix, value);

    /// <summary>The pseudonym of a device id; null or empty stays as it is.</summary>
    public string? DeviceId(string? value) => Pseudonym(DevicePrefix, value);

    private string? Pseudonym(string prefix, string? value)
    {
        if (string.IsNullOrEmpty(value))
            return value;
        // The kind goes into the hashed bytes too, so the same text as an IP and as a device id gives unrelated hashes.
        var length = prefix.Length + 1 + Encoding.UTF8.GetByteCount(value);
        var input = length <= 256 ? stackalloc byte[256] : new byte[length];
        input = input[..length];
        var written = Encoding.ASCII.GetBytes(prefix, input);
        input[written++] = 0;
        Encoding.UTF8.GetBytes(value, input[written..]);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, input, mac);
        return string.Concat(prefix, Convert.ToHexStringLower(mac[..PseudonymBytes]));
    }
}
