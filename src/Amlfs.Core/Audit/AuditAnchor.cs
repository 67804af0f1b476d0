using System.Globalization;

namespace Amlfs.Audit;

/// <summary>
/// A record an operator noted earlier, as <c>SEQUENCE:HASH</c> (<c>42:9f86...</c>, 64 lowercase hex digits), the form
/// <c>amlfs audit verify</c> prints for the last record. The chain alone cannot tell that records were cut off its end,
/// nor that it was rewritten from some record on with every hash recomputed; an anchor kept outside the trail can:
/// the record with that sequence must still be there and still carry that hash.
/// </summary>
/// <param name="Sequence">The record's sequence, from 1.</param>
/// <param name="Hash">The record's hash, 64 lowercase hex digits.</param>
public readonly record struct AuditAnchor(long Sequence, string Hash)
{
    /// <summary>The anchor of a record: its sequence and hash.</summary>
    public static AuditAnchor Of(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new AuditAnchor(record.Sequence, record.Hash);
    }

    /// <summary>
    /// Reads <c>SEQUENCE:HASH</c>: a sequence from 1 in decimal digits, a colon, and 64 hex digits (upper case is taken
    /// as lower, so an anchor copied from a tool that prints upper case still matches).
    /// </summary>
    public static bool TryParse(string? text, out AuditAnchor anchor)
    {
        anchor = default;
        var colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon <= 0)
            return false;
        var sequenceText = text.AsSpan(0, colon);
        var hash = text![(colon + 1)..];
        // NumberStyles.None: digits only, no sign, spaces or separators.
        if (!long.TryParse(sequenceText, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) || sequence < 1)
            return false;
        if (hash.Length != AuditFormat.GenesisHash.Length || !hash.All(char.IsAsciiHexDigit))
            return false;
        anchor = new AuditAnchor(sequence, hash.ToLowerInvariant());
        return true;
    }

    /// <summary><c>SEQUENCE:HASH</c>, as <see cref="TryParse"/> reads it.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Sequence}:{Hash}");
}
