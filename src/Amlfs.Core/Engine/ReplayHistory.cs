using System.Globalization;
using Amlfs.Registry;
using Amlfs.Transactions;

namespace Amlfs.Engine;

/// <summary>
/// A transaction history as columns, in event-time order, for <see cref="PartitionedReplay"/>: one array per column
/// and no object per transaction. Ties (equal times) keep the order the caller gave. Only the string fields that some
/// entity of the plan reads (its join key, its distinct-count fields) need to be present; a field that is only counted
/// distinctly may come as fingerprints alone (<see cref="FieldFingerprints"/>). The replay admits the transactions in
/// time order unless the history gives the order they arrived in (<see cref="AdmissionOrder"/>).
/// </summary>
public sealed class ReplayHistory
{
    private readonly Dictionary<TransactionField, string?[]> _fields;
    private readonly Dictionary<TransactionField, ulong[]> _fieldFingerprints;

    /// <param name="timesMs">Event times in UTC milliseconds, non-decreasing.</param>
    /// <param name="amountCents">Amounts in cents.</param>
    /// <param name="transactionIds">Transaction ids: a repeated id within the dedup retention counts once, as online.</param>
    /// <param name="fields">String columns by field (customer_id, merchant_id, ip_address...), each of the same length.</param>
    /// <exception cref="ArgumentException">Columns differ in length or times go back.</exception>
    public ReplayHistory(long[] timesMs, long[] amountCents, string[] transactionIds, IReadOnlyDictionary<TransactionField, string?[]> fields)
        : this(timesMs, amountCents, transactionIds, null, fields)
    {
    }

    /// <summary>
    /// A history whose transaction ids may be given as fingerprints (<see cref="TransactionIdFingerprint"/>), so that a
    /// reader of millions of rows need not make a string of each id: <paramref name="transactionIds"/> then holds only
    /// the ids the caller wants back (null elsewhere). Without fingerprints every id is required.
    /// <paramref name="admissionOrder"/>, when given, is the order the transactions arrived in (see <see cref="AdmissionOrder"/>).
    /// <paramref name="fieldFingerprints"/>, when given, holds fields' fingerprints as <see cref="FieldFingerprint"/>
    /// computes them (0 where the value is missing), so that the replay need not compute them from the strings; a field
    /// given only as fingerprints can be counted distinctly but not be a join key. <paramref name="destinations"/>,
    /// when given, says which transactions are transfers to an account (<see cref="DestinationOf"/>); without it every
    /// destination is a merchant.
    /// </summary>
    public ReplayHistory(long[] timesMs, long[] amountCents, string?[] transactionIds, UInt128[]? transactionIdFingerprints,
        IReadOnlyDictionary<TransactionField, string?[]> fields, int[]? admissionOrder = null,
        IReadOnlyDictionary<TransactionField, ulong[]>? fieldFingerprints = null, DestinationType[]? destinations = null)
    {
        ArgumentNullException.ThrowIfNull(timesMs);
        ArgumentNullException.ThrowIfNull(amountCents);
        ArgumentNullException.ThrowIfNull(transactionIds);
        ArgumentNullException.ThrowIfNull(fields);
        if (amountCents.Length != timesMs.Length || transactionIds.Length != timesMs.Length || fields.Values.Any(f => f.Length != timesMs.Length)
            || (transactionIdFingerprints is not null && transactionIdFingerprints.Length != timesMs.Length)
            || (fieldFingerprints is not null && fieldFingerprints.Values.Any(f => f.Length != timesMs.Length))
            || (destinations is not null && destinations.Length != timesMs.Length))
            throw new ArgumentException("every column of a replay history must have one value per transaction", nameof(fields));
        if (transactionIdFingerprints is null && Array.IndexOf(transactionIds, null) is var missing and >= 0)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"transaction {missing} has no id"), nameof(transactionIds));
        for (var i = 0; i < timesMs.Length; i++)
        {
            if (timesMs[i] is < 0 or > CompactEvent.MaxTimeMs)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"transaction {i} has a timestamp outside 1970-2500"), nameof(timesMs));
            if (i > 0 && timesMs[i] < timesMs[i - 1])
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"history must be in event-time order: transaction {i} goes back in time"), nameof(timesMs));
        }

        if (admissionOrder is not null && !IsPermutation(admissionOrder, timesMs.Length))
            throw new ArgumentException("the admission order must name every transaction exactly once", nameof(admissionOrder));

        TimesMs = timesMs;
        AmountCents = amountCents;
        AdmissionOrder = admissionOrder;
        TransactionIds = transactionIds;
        TransactionIdFingerprints = transactionIdFingerprints;
        _fields = new Dictionary<TransactionField, string?[]>(fields);
        _fieldFingerprints = fieldFingerprints is null ? [] : new Dictionary<TransactionField, ulong[]>(fieldFingerprints);
        _destinations = destinations;
    }

    private readonly DestinationType[]? _destinations;

    /// <summary>What the destination of transaction <paramref name="i"/> is: a merchant, or an account receiving a transfer.</summary>
    public DestinationType DestinationOf(int i) => _destinations is null ? DestinationType.Merchant : _destinations[i];

    /// <summary>Transactions in the history.</summary>
    public int Count => TimesMs.Length;

    /// <summary>Event times, UTC milliseconds, non-decreasing.</summary>
    public long[] TimesMs { get; }

    /// <summary>Amounts in cents.</summary>
    public long[] AmountCents { get; }

    /// <summary>Transaction ids; null where the history was given fingerprints only.</summary>
    public string?[] TransactionIds { get; }

    /// <summary>The ids' fingerprints when the history was built from them, else null (computed from the ids).</summary>
    public UInt128[]? TransactionIdFingerprints { get; }

    /// <summary>
    /// The positions of the transactions in the order they arrived and were admitted, when that is not time order: a
    /// log's order, in which a transaction may come after later ones within the allowed lateness. The replay admits
    /// them in this order, as the engine's admission gate did. Null: they were admitted in time order.
    /// </summary>
    public int[]? AdmissionOrder { get; }

    /// <summary>The fingerprint of a transaction id, as the admission gate computes it to recognise duplicates.</summary>
    public static UInt128 TransactionIdFingerprint(ReadOnlySpan<char> transactionId) => Fingerprint.Of128(transactionId);

    /// <summary>The fingerprint of a string field's value, as the engine computes it for distinct counts and entity ids.</summary>
    public static ulong FieldFingerprint(ReadOnlySpan<char> value) => Fingerprint.Of(value);

    /// <summary>The column of a string field, or null when the history does not carry it.</summary>
    public string?[]? Field(TransactionField field) => _fields.GetValueOrDefault(field);

    /// <summary>
    /// The fingerprints of a string field (<see cref="FieldFingerprint"/>, 0 where missing) when the history was given
    /// them, else null: the replay then computes them from <see cref="Field"/>.
    /// </summary>
    public ulong[]? FieldFingerprints(TransactionField field) => _fieldFingerprints.GetValueOrDefault(field);

    /// <summary>
    /// Columns of <paramref name="transactions"/>, sorted by event time (stable: ties keep the given order), with every
    /// string field.
    /// </summary>
    public static ReplayHistory From(IEnumerable<Transaction> transactions) => Columns(transactions, inAdmissionOrder: false);

    /// <summary>
    /// Columns of <paramref name="arrivals"/>, sorted by event time (stable), with every string field; the replay admits
    /// them in the order given, as the engine admitted them when they arrived (<see cref="AdmissionOrder"/>).
    /// </summary>
    public static ReplayHistory FromArrivals(IEnumerable<Transaction> arrivals) => Columns(arrivals, inAdmissionOrder: true);

    private static ReplayHistory Columns(IEnumerable<Transaction> transactions, bool inAdmissionOrder)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        var given = transactions.ToArray();
        var order = StableOrder.ByTime(given.Select(t => t.TimestampMs).ToArray()) ?? Enumerable.Range(0, given.Length).ToArray();
        var sorted = order.Select(i => given[i]).ToArray();
        var fields = new Dictionary<TransactionField, string?[]>();
        foreach (var field in Enum.GetValues<TransactionField>().Where(f => f is not (TransactionField.Amount or TransactionField.CounterpartyId)))
            fields[field] = sorted.Select(t => FeatureEngine.FieldOf(t, field)).ToArray();
        int[]? admission = null;
        if (inAdmissionOrder)
        {
            // The k-th transaction given sits at the position p of the columns where order[p] = k.
            admission = new int[order.Length];
            for (var p = 0; p < order.Length; p++)
                admission[order[p]] = p;
        }

        return new ReplayHistory(
            sorted.Select(t => t.TimestampMs).ToArray(), sorted.Select(t => t.AmountCents).ToArray(),
            sorted.Select(t => t.TransactionId).ToArray(), null, fields, admission,
            destinations: sorted.Select(t => t.DestinationType).ToArray());
    }

    private static bool IsPermutation(int[] order, int count)
    {
        if (order.Length != count)
            return false;
        var seen = new bool[count];
        foreach (var position in order)
        {
            if ((uint)position >= (uint)count || seen[position])
                return false;
            seen[position] = true;
        }

        return true;
    }
}
