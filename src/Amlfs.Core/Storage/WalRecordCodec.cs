using System.Buffers.Binary;
using System.Text;
using Amlfs.Transactions;

namespace Amlfs.Storage;

/// <summary>
/// Encodes a transaction as one record of the write-ahead log and decodes it back, inside
/// <see cref="LogRecordFrame"/>'s frame. Every integer is little-endian.
/// <code>
/// payload   0  u64 sequence          gapless from 1; the segment's first record holds the file's name
///           8  i64 timestamp ms      UTC, since the Unix epoch
///          16  i64 amount cents
///          24  u8  presence bits     1 ip_address, 2 channel, 4 device_id, 8 country, 16 payment_format,
///                                    32 the destination is an account
///          25  string transaction_id   each string: u16 byte count, then that many UTF-8 bytes
///              string customer_id
///              string merchant_id
///              string currency
///              string ip_address       } only the optional strings whose presence bit is set,
///              ...                     } in bit order
///              string payment_format   }
/// </code>
/// </summary>
internal sealed class WalRecordCodec : ILogRecordCodec<Transaction>
{
    /// <summary>The one instance: the codec holds no state.</summary>
    public static readonly WalRecordCodec Instance = new();

    /// <summary>A payload with four empty required strings and no optional one.</summary>
    public const int MinPayloadBytes = FixedBytes + 4 * sizeof(ushort);

    private const int RecordHeaderBytes = LogRecordFrame.HeaderBytes;

    private const int FixedBytes = 25;
    private const int PresenceOffset = 24;
    private const int OptionalCount = 5;

    /// <summary>A presence flag without a string: the destination is an account (<see cref="DestinationType.Account"/>).</summary>
    private const byte DestinationAccountFlag = 1 << OptionalCount;
    private const int FlagCount = OptionalCount + 1;

    /// <summary>
    /// An upper bound of the bytes the record of <paramref name="transaction"/> takes, header included, from string
    /// lengths alone (3 UTF-8 bytes per UTF-16 unit at most): cheaper than measuring the exact size, which encoding
    /// gives anyway. Checks that every string fits its 16-bit length, so that <see cref="Write"/> cannot fail for that.
    /// </summary>
    /// <exception cref="ArgumentException">A string field is longer than 65,535 UTF-8 bytes.</exception>
    public int MaxRecordBytes(Transaction transaction)
    {
        var bytes = RecordHeaderBytes + FixedBytes;
        bytes += MaxStringBytes(transaction.TransactionId, nameof(Transaction.TransactionId));
        bytes += MaxStringBytes(transaction.CustomerId, nameof(Transaction.CustomerId));
        bytes += MaxStringBytes(transaction.MerchantId, nameof(Transaction.MerchantId));
        bytes += MaxStringBytes(transaction.Currency, nameof(Transaction.Currency));
        bytes += MaxOptionalBytes(transaction.IpAddress, nameof(Transaction.IpAddress));
        bytes += MaxOptionalBytes(transaction.Channel, nameof(Transaction.Channel));
        bytes += MaxOptionalBytes(transaction.DeviceId, nameof(Transaction.DeviceId));
        bytes += MaxOptionalBytes(transaction.Country, nameof(Transaction.Country));
        bytes += MaxOptionalBytes(transaction.PaymentFormat, nameof(Transaction.PaymentFormat));
        return bytes;
    }

    /// <summary>
    /// Writes the whole record at the start of <paramref name="destination"/> (at least <see cref="MaxRecordBytes"/>
    /// long) and returns its size. Writes nothing beyond the record and changes no state elsewhere, so a failure
    /// leaves the caller's buffer as it was up to <paramref name="destination"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A string is not valid UTF-16 (a lone surrogate): it could not be read back
    /// as it was, and a transaction id that changed on replay would break deduplication.</exception>
    public int Write(Span<byte> destination, long sequence, Transaction transaction)
    {
        var payload = destination[RecordHeaderBytes..];
        LogRecordFrame.WritePrefix(payload, sequence, transaction.TimestampMs);
        BinaryPrimitives.WriteInt64LittleEndian(payload[16..], transaction.AmountCents);
        byte presence = 0;
        var at = FixedBytes;
        try
        {
            at = WriteString(payload, at, transaction.TransactionId);
            at = WriteString(payload, at, transaction.CustomerId);
            at = WriteString(payload, at, transaction.MerchantId);
            at = WriteString(payload, at, transaction.Currency);
            at = WriteOptional(payload, at, transaction.IpAddress, 1, ref presence);
            at = WriteOptional(payload, at, transaction.Channel, 2, ref presence);
            at = WriteOptional(payload, at, transaction.DeviceId, 4, ref presence);
            at = WriteOptional(payload, at, transaction.Country, 8, ref presence);
            at = WriteOptional(payload, at, transaction.PaymentFormat, 16, ref presence);
            if (transaction.DestinationType == DestinationType.Account)
                presence |= DestinationAccountFlag;
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"transaction '{transaction.TransactionId}' holds text that is not valid UTF-16", nameof(transaction), e);
        }

        payload[PresenceOffset] = presence;
        return LogRecordFrame.Close(destination, at);
    }

    public string LogName => "write-ahead log";

    public ReadOnlySpan<byte> Magic => "AMLFSWAL"u8;

    public long TimestampOf(Transaction record) => record.TimestampMs;

    /// <summary>
    /// Decodes a payload whose checksum was verified. Low-cardinality labels (currency, channel, country, payment
    /// format) come from <paramref name="labels"/>, so a replay does not allocate them once per record.
    /// </summary>
    /// <exception cref="InvalidDataException">The payload's structure is wrong (a length runs past its end, unknown
    /// presence bits, bytes left over, invalid UTF-8): the record was written wrong, not torn.</exception>
    public Transaction Read(ReadOnlySpan<byte> payload, Utf8LabelCache labels)
    {
        if (payload.Length < MinPayloadBytes)
            throw new InvalidDataException("record payload is shorter than its fixed fields");
        var presence = payload[PresenceOffset];
        if (presence >> FlagCount != 0)
            throw new InvalidDataException($"record has unknown presence bits 0x{presence:x2}");
        var at = FixedBytes;
        var transaction = new Transaction
        {
            TimestampMs = BinaryPrimitives.ReadInt64LittleEndian(payload[8..]),
            AmountCents = BinaryPrimitives.ReadInt64LittleEndian(payload[16..]),
            TransactionId = ReadString(payload, ref at, null)!,
            CustomerId = ReadString(payload, ref at, null)!,
            MerchantId = ReadString(payload, ref at, null)!,
            Currency = ReadString(payload, ref at, labels)!,
            IpAddress = (presence & 1) != 0 ? ReadString(payload, ref at, null) : null,
            Channel = (presence & 2) != 0 ? ReadString(payload, ref at, labels) : null,
            DeviceId = (presence & 4) != 0 ? ReadString(payload, ref at, null) : null,
            Country = (presence & 8) != 0 ? ReadString(payload, ref at, labels) : null,
            PaymentFormat = (presence & 16) != 0 ? ReadString(payload, ref at, labels) : null,
            DestinationType = (presence & DestinationAccountFlag) != 0 ? DestinationType.Account : DestinationType.Merchant,
        };
        if (at != payload.Length)
            throw new InvalidDataException($"record payload has {payload.Length - at} bytes after its last field");
        return transaction;
    }

    private static int MaxStringBytes(string value, string field) => LogRecordStrings.MaxBytes(value, field);

    private static int MaxOptionalBytes(string? value, string field) => value is null ? 0 : MaxStringBytes(value, field);

    private static int WriteString(Span<byte> payload, int at, string value) => LogRecordStrings.Write(payload, at, value);

    private static int WriteOptional(Span<byte> payload, int at, string? value, byte bit, ref byte presence)
    {
        if (value is null)
            return at;
        presence |= bit;
        return WriteString(payload, at, value);
    }

    private static string? ReadString(ReadOnlySpan<byte> payload, ref int at, Utf8LabelCache? labels) => LogRecordStrings.Read(payload, ref at, labels);
}
