using System.Buffers.Binary;
using Amlfs.Decisions;
using Amlfs.Scoring;
using Amlfs.Storage;

namespace Amlfs.Cases;

/// <summary>
/// Encodes a case event as one record of the case log and decodes it back, inside <see cref="LogRecordFrame"/>'s
/// frame. Every integer is little-endian; strings are a u16 byte count and that many UTF-8 bytes
/// (<see cref="LogRecordStrings"/>).
/// <code>
/// payload   0  u64 sequence          gapless, the log's own
///           8  i64 at ms             when it happened, UTC, since the Unix epoch
///          16  i64 case number
///          24  u8  kind              <see cref="CaseEventKind"/>
///          25  string actor
///              then by kind:
///              opened          string entity_type, string entity_id
///              alert_joined    i64 alert sequence, i64 raised at ms, i64 event time ms, f64 score, u8 risk level,
///                              string rule, summary, transaction_id, customer_id, merchant_id, model_version, typology,
///                              u16 contributions (0xFFFF: not known), then each: string feature, f64 value, f64 contribution
///              assigned        string assignee
///              transitioned    u8 to status, u8 disposition (0xFF: none), string text
///              noted           string text
///              labelled        nothing
/// </code>
/// </summary>
internal sealed class CaseEventCodec : ILogRecordCodec<CaseEvent>
{
    public static readonly CaseEventCodec Instance = new();

    private const int FixedBytes = 25;
    private const ushort NoContributions = ushort.MaxValue;
    private const byte NoDisposition = byte.MaxValue;

    public string LogName => "case log";

    public ReadOnlySpan<byte> Magic => "AMLFSCAS"u8;

    public long TimestampOf(CaseEvent record) => record.AtMs;

    public int MaxRecordBytes(CaseEvent e)
    {
        var bytes = LogRecordFrame.HeaderBytes + FixedBytes + LogRecordStrings.MaxBytes(e.Actor, nameof(e.Actor));
        switch (e.Kind)
        {
            case CaseEventKind.Opened:
                bytes += LogRecordStrings.MaxBytes(e.EntityType, nameof(e.EntityType)) + LogRecordStrings.MaxBytes(e.EntityId, nameof(e.EntityId));
                break;
            case CaseEventKind.AlertJoined:
                var a = e.Alert ?? throw new ArgumentException("an alert_joined event carries no alert", nameof(e));
                bytes += (4 * sizeof(long)) + 1 + sizeof(ushort);
                foreach (var (value, field) in AlertStrings(a))
                    bytes += LogRecordStrings.MaxBytes(value, field);
                if (a.Contributions is { } contributions)
                {
                    if (contributions.Count >= NoContributions)
                        throw new ArgumentException($"alert {a.AlertSequence} has {contributions.Count} contributions; the log stores fewer than {NoContributions}", nameof(e));
                    foreach (var c in contributions)
                        bytes += LogRecordStrings.MaxBytes(c.Feature, nameof(c.Feature)) + (2 * sizeof(double));
                }

                break;
            case CaseEventKind.Assigned:
                bytes += LogRecordStrings.MaxBytes(e.Assignee, nameof(e.Assignee));
                break;
            case CaseEventKind.Transitioned:
                bytes += 2 + LogRecordStrings.MaxBytes(e.Text, nameof(e.Text));
                break;
            case CaseEventKind.Noted:
                bytes += LogRecordStrings.MaxBytes(e.Text, nameof(e.Text));
                break;
            case CaseEventKind.Labelled:
                break;
            default:
                throw new ArgumentException($"unknown case event kind {e.Kind}", nameof(e));
        }

        return bytes;
    }

    public int Write(Span<byte> destination, long sequence, CaseEvent e)
    {
        var payload = destination[LogRecordFrame.HeaderBytes..];
        LogRecordFrame.WritePrefix(payload, sequence, e.AtMs);
        BinaryPrimitives.WriteInt64LittleEndian(payload[16..], e.CaseNumber);
        payload[24] = (byte)e.Kind;
        var at = LogRecordStrings.Write(payload, FixedBytes, e.Actor);
        switch (e.Kind)
        {
            case CaseEventKind.Opened:
                at = LogRecordStrings.Write(payload, at, e.EntityType);
                at = LogRecordStrings.Write(payload, at, e.EntityId);
                break;
            case CaseEventKind.AlertJoined:
                var a = e.Alert!;
                BinaryPrimitives.WriteInt64LittleEndian(payload[at..], a.AlertSequence);
                BinaryPrimitives.WriteInt64LittleEndian(payload[(at + 8)..], a.RaisedAtMs);
                BinaryPrimitives.WriteInt64LittleEndian(payload[(at + 16)..], a.EventTimeMs);
                BinaryPrimitives.WriteDoubleLittleEndian(payload[(at + 24)..], a.Score);
                payload[at + 32] = (byte)a.Level;
                at += 33;
                foreach (var (value, _) in AlertStrings(a))
                    at = LogRecordStrings.Write(payload, at, value);
                BinaryPrimitives.WriteUInt16LittleEndian(payload[at..], a.Contributions is { } cs ? (ushort)cs.Count : NoContributions);
                at += sizeof(ushort);
                foreach (var c in a.Contributions ?? [])
                {
                    at = LogRecordStrings.Write(payload, at, c.Feature);
                    BinaryPrimitives.WriteDoubleLittleEndian(payload[at..], c.Value);
                    BinaryPrimitives.WriteDoubleLittleEndian(payload[(at + 8)..], c.Contribution);
                    at += 2 * sizeof(double);
                }

                break;
            case CaseEventKind.Assigned:
                at = LogRecordStrings.Write(payload, at, e.Assignee);
                break;
            case CaseEventKind.Transitioned:
                payload[at] = (byte)e.To;
                payload[at + 1] = e.Disposition is { } d ? (byte)d : NoDisposition;
                at = LogRecordStrings.Write(payload, at + 2, e.Text);
                break;
            case CaseEventKind.Noted:
                at = LogRecordStrings.Write(payload, at, e.Text);
                break;
        }

        return LogRecordFrame.Close(destination, at);
    }

    public CaseEvent Read(ReadOnlySpan<byte> payload, Utf8LabelCache labels)
    {
        if (payload.Length < FixedBytes + sizeof(ushort))
            throw new InvalidDataException("case event payload is shorter than its fixed fields");
        var kind = (CaseEventKind)payload[24];
        var at = FixedBytes;
        var e = new CaseEvent(kind, BinaryPrimitives.ReadInt64LittleEndian(payload[16..]), LogRecordFrame.TimestampOf(payload),
            LogRecordStrings.Read(payload, ref at, labels)!);
        switch (kind)
        {
            case CaseEventKind.Opened:
                e = e with { EntityType = LogRecordStrings.Read(payload, ref at, labels)!, EntityId = LogRecordStrings.Read(payload, ref at, null)! };
                break;
            case CaseEventKind.AlertJoined:
                Need(payload, at, 33);
                var sequence = BinaryPrimitives.ReadInt64LittleEndian(payload[at..]);
                var raisedAt = BinaryPrimitives.ReadInt64LittleEndian(payload[(at + 8)..]);
                var eventTime = BinaryPrimitives.ReadInt64LittleEndian(payload[(at + 16)..]);
                var score = BinaryPrimitives.ReadDoubleLittleEndian(payload[(at + 24)..]);
                var level = payload[at + 32];
                if (level > (byte)RiskLevel.High)
                    throw new InvalidDataException($"case event has an unknown risk level {level}");
                at += 33;
                var rule = LogRecordStrings.Read(payload, ref at, labels)!;
                var summary = LogRecordStrings.Read(payload, ref at, null)!;
                var transaction = LogRecordStrings.Read(payload, ref at, null)!;
                var customer = LogRecordStrings.Read(payload, ref at, null)!;
                var merchant = LogRecordStrings.Read(payload, ref at, null)!;
                var model = LogRecordStrings.Read(payload, ref at, labels)!;
                var typology = LogRecordStrings.Read(payload, ref at, labels)!;
                Need(payload, at, sizeof(ushort));
                var count = BinaryPrimitives.ReadUInt16LittleEndian(payload[at..]);
                at += sizeof(ushort);
                DecisionContribution[]? contributions = null;
                if (count != NoContributions)
                {
                    contributions = new DecisionContribution[count];
                    for (var i = 0; i < count; i++)
                    {
                        var feature = LogRecordStrings.Read(payload, ref at, labels)!;
                        Need(payload, at, 2 * sizeof(double));
                        contributions[i] = new DecisionContribution(feature, BinaryPrimitives.ReadDoubleLittleEndian(payload[at..]),
                            BinaryPrimitives.ReadDoubleLittleEndian(payload[(at + 8)..]));
                        at += 2 * sizeof(double);
                    }
                }

                e = e with
                {
                    Alert = new CaseAlert(sequence, rule, summary, raisedAt, transaction, customer, merchant, eventTime, score, (RiskLevel)level, model)
                    {
                        Typology = typology,
                        Contributions = contributions,
                    },
                };
                break;
            case CaseEventKind.Assigned:
                e = e with { Assignee = LogRecordStrings.Read(payload, ref at, labels)! };
                break;
            case CaseEventKind.Transitioned:
                Need(payload, at, 2);
                var to = payload[at];
                var disposition = payload[at + 1];
                if (to > (byte)CaseStatus.Closed || (disposition != NoDisposition && disposition > (byte)CaseDisposition.Inconclusive))
                    throw new InvalidDataException($"case event has an unknown status {to} or disposition {disposition}");
                at += 2;
                e = e with
                {
                    To = (CaseStatus)to,
                    Disposition = disposition == NoDisposition ? null : (CaseDisposition)disposition,
                    Text = LogRecordStrings.Read(payload, ref at, null)!,
                };
                break;
            case CaseEventKind.Noted:
                e = e with { Text = LogRecordStrings.Read(payload, ref at, null)! };
                break;
            case CaseEventKind.Labelled:
                break;
            default:
                throw new InvalidDataException($"case event has an unknown kind {(byte)kind}");
        }

        if (at != payload.Length)
            throw new InvalidDataException($"case event payload has {payload.Length - at} bytes after its last field");
        return e;
    }

    private static (string Value, string Field)[] AlertStrings(CaseAlert a) =>
    [
        (a.Rule, nameof(a.Rule)), (a.Summary, nameof(a.Summary)), (a.TransactionId, nameof(a.TransactionId)),
        (a.CustomerId, nameof(a.CustomerId)), (a.MerchantId, nameof(a.MerchantId)), (a.ModelVersion, nameof(a.ModelVersion)),
        (a.Typology, nameof(a.Typology)),
    ];

    private static void Need(ReadOnlySpan<byte> payload, int at, int bytes)
    {
        if (payload.Length - at < bytes)
            throw new InvalidDataException("case event payload ends inside a field");
    }
}
