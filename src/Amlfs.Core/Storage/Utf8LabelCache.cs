using System.IO.Hashing;
using System.Text;

namespace Amlfs.Storage;

/// <summary>
/// Decodes short, often repeated UTF-8 strings (currencies, channels, countries) to one shared string instance each,
/// so that replaying millions of records does not allocate the same label millions of times. Direct-mapped: a slot
/// holds the last label that hashed to it, so a collision costs one allocation and never a wrong value. Not
/// thread-safe; one per reader.
/// </summary>
internal sealed class Utf8LabelCache
{
    private const int Slots = 256;
    private const int MaxCachedBytes = 32;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly byte[]?[] _bytes = new byte[Slots][];
    private readonly string?[] _values = new string[Slots];

    /// <summary>The string of <paramref name="utf8"/>, shared with earlier calls for the same bytes when cached.</summary>
    /// <exception cref="DecoderFallbackException">The bytes are not valid UTF-8.</exception>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxCachedBytes)
            return Utf8.GetString(utf8);
        var slot = (int)(XxHash3.HashToUInt64(utf8) % Slots);
        if (_bytes[slot] is { } cached && utf8.SequenceEqual(cached))
            return _values[slot]!;
        var value = Utf8.GetString(utf8);
        _bytes[slot] = utf8.ToArray();
        _values[slot] = value;
        return value;
    }
}
