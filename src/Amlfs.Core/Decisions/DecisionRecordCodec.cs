using System.Buffers.Binary;
using Amlfs.Scoring;
using Amlfs.Storage;
using Amlfs.Transactions;

namespace Amlfs.Decisions;

/// <summary>
/// Encodes a decision as one record of the decision log and decodes it back, inside <see cref="LogRecordFrame"/>'s
/// frame. Every integer is little-endian.
/// <code>
/// payload   0  u64 sequence          the transaction's sequence in the write-ahead log
///           8  i64 event time ms     the transaction's time, UTC, since the Unix epoch
///          16  i64 decided at ms
///          24  i64 amount cents
///          32  f64 score
///          40  f64 anomaly score     NaN when the model gives none
///          48  u8  risk level        0 low, 1 medium, 2 high
///          49  u8  flags             1 the destination is an account, 2 an explanation follows the strings,
///                                    4 the features were read as of another instant, which follows the strings
///          50  string transaction_id   each string: u16 byte count, then that many UTF-8 bytes
///              string customer_id
///              string merchant_id
///              string model_version
///              i64 features as of ms (flag 4 only)
///              u16 contributions, then each: string feature, f64 value, f64 contribution   (flag 2 only)
/// </code>
/// </summary>
internal sealed class DecisionRecordCodec : ILogRecordCodec<Decision>
{
    public static readonly DecisionRecordCodec Instance = new();

    private const int FixedBytes = 50;
    private const int LevelOffset = 48;
    private const int FlagsOffset = 49;
    private const byte DestinationAccountFlag = 1;
    private const byte ExplainedFlag = 2;
    private const byte FeaturesAsOfFlag = 4;
    private const int KnownFlags = DestinationAccountFlag | ExplainedFlag | FeaturesAsOfFlag;

    public string LogName => "decision log";

    public ReadOnlySpan<byte> Magic => "AMLFSDEC"u8;

    public long TimestampOf(Decision record) => record.EventTimeMs;

    public int MaxRecordBytes(Decision decision)
    {
        var bytes = LogRecordFrame.HeaderBytes + FixedBytes;
        bytes += LogRecordStrings.MaxBytes(decision.TransactionId, nameof(Decision.TransactionId));
        bytes += LogRecordStrings.MaxBytes(decision.CustomerId, nameof(Decision.CustomerId));
        bytes += LogRecordStrings.MaxBytes(decision.MerchantId, nameof(Decision.MerchantId));
        bytes += LogRecordStrings.MaxBytes(decision.ModelVersion, nameof(Decision.ModelVersion)) + sizeof(long);
        if (decision.Contributions is { } contributions)
        {
            if (contributions.Count > ushort.MaxValue)
                throw new ArgumentException($"decision '{decision.TransactionId}' has {contributions.Count} contributions; the log stores at most {ushort.MaxValue}", nameof(decision));
            bytes += sizeof(ushort);
            foreach (var c in contributions)
                bytes += LogRecordStrings.MaxBytes(c.Feature, nameof(DecisionContribution.Feature)) + (2 * sizeof(double));
        }

        return bytes;
    }

    public int Write(Span<byte> destination, long sequence, Decision decision)
    {
        var payload = destination[LogRecordFrame.HeaderBytes..];
        LogRecordFrame.WritePrefix(payload, sequence, decision.EventTimeMs);
        BinaryPrimitives.WriteInt64LittleEndian(payload[16..], decision.DecidedAtMs);
        BinaryPrimitives.WriteInt64LittleEndian(payload[24..], decision.AmountCents);
        BinaryPrimitives.WriteDoubleLittleEndian(payload[32..], decision.Score);
        BinaryPrimitives.WriteDoubleLittleEndian(payload[40..], decision.AnomalyScore ?? double.NaN);
        payload[LevelOffset] = (byte)decision.Level;
        byte flags = 0;
        if (decision.DestinationType == DestinationType.Account)
            flags |= DestinationAccountFlag;
        if (decision.Contributions is not null)
            flags |= ExplainedFlag;
        if (decision.FeaturesAsOfMs is not null)
            flags |= FeaturesAsOfFlag;
        payload[FlagsOffset] = flags;
        var at = FixedBytes;
        try
        {
            at = LogRecordStrings.Write(payload, at, decision.TransactionId);
            at = LogRecordStrings.Write(payload, at, decision.CustomerId);
            at = LogRecordStrings.Write(payload, at, decision.MerchantId);
            at = LogRecordStrings.Write(payload, at, decision.ModelVersion);
            if (decision.FeaturesAsOfMs is { } asOf)
            {
                BinaryPrimitives.WriteInt64LittleEndian(payload[at..], asOf);
                at += sizeof(long);
            }

            if (decision.Contributions is { } contributions)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(payload[at..], (ushort)contributions.Count);
                at += sizeof(ushort);
                foreach (var c in contributions)
                {
                    at = LogRecordStrings.Write(payload, at, c.Feature);
                    BinaryPrimitives.WriteDoubleLittleEndian(payload[at..], c.Value);
                    BinaryPrimitives.WriteDoubleLittleEndian(payload[(at + sizeof(double))..], c.Contribution);
                    at += 2 * sizeof(double);
                }
            }
        }
        catch (System.Text.EncoderFallbackException e)
        {
            throw new ArgumentException($"decision '{decision.TransactionId}' holds text that is not valid UTF-16", nameof(decision), e);
        }

        return LogRecordFrame.Close(destination, at);
    }

    /// <summary>
    /// Whether a verified payload is the decision about the transaction whose id is <paramref name="transactionId"/> in
    /// UTF-8: its first string, compared byte for byte without decoding anything.
    /// </summary>
    public static bool IsAbout(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> transactionId)
    {
        if (payload.Length < FixedBytes + sizeof(ushort))
            return false;
        int count = BinaryPrimitives.ReadUInt16LittleEndian(payload[FixedBytes..]);
        var start = FixedBytes + sizeof(ushort);
        return count == transactionId.Length && payload.Length - start >= count && payload.Slice(start, count).SequenceEqual(transactionId);
    }

    public Decision Read(ReadOnlySpan<byte> payload, Utf8LabelCache labels)
    {
        if (payload.Length < FixedBytes + (4 * sizeof(ushort)))
            throw new InvalidDataException("decision payload is shorter than its fixed fields");
        var level = payload[LevelOffset];
        if (level > (byte)RiskLevel.High)
            throw new InvalidDataException($"decision has an unknown risk level {level}");
        var flags = payload[FlagsOffset];
        if ((flags & ~KnownFlags) != 0)
            throw new InvalidDataException($"decision has unknown flags 0x{flags:x2}");
        var at = FixedBytes;
        var anomaly = BinaryPrimitives.ReadDoubleLittleEndian(payload[40..]);
        var decision = new Decision(
            LogRecordStrings.Read(payload, ref at, null)!,
            LogRecordStrings.Read(payload, ref at, null)!,
            LogRecordStrings.Read(payload, ref at, null)!,
            (flags & DestinationAccountFlag) != 0 ? DestinationType.Account : DestinationType.Merchant,
            BinaryPrimitives.ReadInt64LittleEndian(payload[24..]),
            LogRecordFrame.TimestampOf(payload),
            LogRecordFrame.SequenceOf(payload),
            BinaryPrimitives.ReadInt64LittleEndian(payload[16..]),
            BinaryPrimitives.ReadDoubleLittleEndian(payload[32..]),
            (RiskLevel)level,
            LogRecordStrings.Read(payload, ref at, labels)!)
        {
            AnomalyScore = double.IsNaN(anomaly) ? null : anomaly,
            FeaturesAsOfMs = (flags & FeaturesAsOfFlag) != 0 ? ReadLong(payload, ref at) : null,
            Contributions = (flags & ExplainedFlag) != 0 ? ReadContributions(payload, ref at, labels) : null,
        };
        if (at != payload.Length)
            throw new InvalidDataException($"decision payload has {payload.Length - at} bytes after its last field");
        return decision;
    }

    private static long ReadLong(ReadOnlySpan<byte> payload, ref int at)
    {
        if (payload.Length - at < sizeof(long))
            throw new InvalidDataException("decision payload ends inside its features' as-of time");
        var value = BinaryPrimitives.ReadInt64LittleEndian(payload[at..]);
        at += sizeof(long);
        return value;
    }

    private static DecisionContribution[] ReadContributions(ReadOnlySpan<byte> payload, ref int at, Utf8LabelCache labels)
    {
        if (payload.Length - at < sizeof(ushort))
            throw new InvalidDataException("decision payload ends inside its contribution count");
        var count = BinaryPrimitives.ReadUInt16LittleEndian(payload[at..]);
        at += sizeof(ushort);
        var contributions = new DecisionContribution[count];
        for (var i = 0; i < count; i++)
        {
            var feature = LogRecordStrings.Read(payload, ref at, labels)!;
            if (payload.Length - at < 2 * sizeof(double))
                throw new InvalidDataException("decision payload ends inside a contribution");
            contributions[i] = new DecisionContribution(feature, BinaryPrimitives.ReadDoubleLittleEndian(payload[at..]),
                BinaryPrimitives.ReadDoubleLittleEndian(payload[(at + sizeof(double))..]));
            at += 2 * sizeof(double);
        }

        return contributions;
    }
}
