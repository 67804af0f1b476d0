using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Text;
using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Transactions;

namespace Amlfs.Parquet.Training;

/// <summary>
/// One array per column for the whole store, filled row group by row group; row groups fill disjoint ranges, so in
/// parallel. No string is made per row: transaction ids become fingerprints (strings only for labelled rows, which a
/// training set names), keys (join keys, and what a training set writes) fingerprints and shared strings
/// (<see cref="SharedStrings"/>), other fields fingerprints alone.
/// </summary>
internal sealed class HistoryColumns
{
    /// <summary>Values ahead whose table slot is asked for before their lookup: enough to cover a cache miss.</summary>
    private const int PrefetchDistance = 8;

    private readonly Dictionary<TransactionField, SharedStrings> _shared;

    /// <summary>Buffers of row groups read earlier, reused: fresh memory costs a page fault per 4 KB.</summary>
    private readonly ConcurrentBag<Scratch> _scratch = [];

    public HistoryColumns(int n, IReadOnlyCollection<TransactionField> keys, IReadOnlyCollection<TransactionField> fields)
    {
        Times = new long[n];
        Cents = new long[n];
        Ids = new string?[n];
        IdFingerprints = new UInt128[n];
        Suspicious = new bool?[n];
        Typologies = new string?[n];
        Destinations = new DestinationType[n];
        Keys = keys.Distinct().ToDictionary(f => f, _ => new string?[n]);
        Fingerprints = keys.Concat(fields).Where(f => f != TransactionField.Amount).Distinct().ToDictionary(f => f, _ => new ulong[n]);
        _shared = Keys.Keys.ToDictionary(f => f, _ => new SharedStrings());
    }

    /// <summary>Maps the columns' memory before the row groups fill it (<see cref="Prefault"/>).</summary>
    public void Prefault(int parallelism)
    {
        Engine.Prefault.Populate(Times, parallelism);
        Engine.Prefault.Populate(Cents, parallelism);
        Engine.Prefault.Populate(Ids, parallelism);
        Engine.Prefault.Populate(IdFingerprints, parallelism);
        Engine.Prefault.Populate(Suspicious, parallelism);
        Engine.Prefault.Populate(Typologies, parallelism);
        Engine.Prefault.Populate(Destinations, parallelism);
        foreach (var strings in Keys.Values)
            Engine.Prefault.Populate(strings, parallelism);
        foreach (var fingerprints in Fingerprints.Values)
            Engine.Prefault.Populate(fingerprints, parallelism);
    }

    public long[] Times { get; private set; }

    public long[] Cents { get; private set; }

    public string?[] Ids { get; private set; }

    public UInt128[] IdFingerprints { get; private set; }

    public Dictionary<TransactionField, string?[]> Keys { get; }

    public Dictionary<TransactionField, ulong[]> Fingerprints { get; }

    public bool?[] Suspicious { get; private set; }

    public string?[] Typologies { get; private set; }

    /// <summary>What each destination is; a merchant where the files predate the <c>destination_type</c> column.</summary>
    public DestinationType[] Destinations { get; private set; }

    /// <summary>Reads row group <paramref name="index"/> of <paramref name="file"/> into rows <paramref name="offset"/> onwards.</summary>
    public async Task ReadAsync(string file, global::Parquet.Meta.FileMetaData metadata, int index, int offset, CancellationToken ct)
    {
        var scratch = _scratch.TryTake(out var reused) ? reused : new Scratch();
        try
        {
            var group = new RowGroupColumns(file, metadata, index, scratch.Text);
            await using var _ = group.ConfigureAwait(false);
            await ReadAsync(group, offset, scratch, ct).ConfigureAwait(false);
        }
        finally
        {
            _scratch.Add(scratch);
        }
    }

    private async Task ReadAsync(RowGroupColumns group, int offset, Scratch scratch, CancellationToken ct)
    {
        var count = group.Rows;
        if (group.Has(TransactionColumns.IsSuspicious.Name))
            await group.ReadBooleansAsync(TransactionColumns.IsSuspicious.Name, Suspicious.AsMemory(offset, count), ct).ConfigureAwait(false);

        await group.ReadTextAsync(Need(group, TransactionColumns.TransactionId.Name), (first, values) =>
        {
            for (var i = 0; i < values.Count; i++)
            {
                var row = offset + first + i;
                if (values.IsNull(i))
                    throw new InvalidDataException("column 'transaction_id' has a null value");
                var id = scratch.Of(values[i]);
                IdFingerprints[row] = ReplayHistory.TransactionIdFingerprint(id);
                if (Suspicious[row] is not null)
                    Ids[row] = new string(id);
            }
        }, ct).ConfigureAwait(false);

        foreach (var (field, fingerprints) in Fingerprints)
        {
            var column = ColumnOf(field);
            if (!group.Has(column.Name))
            {
                if (!column.IsNullable)
                    throw new InvalidDataException($"missing column '{column.Name}'");
                continue; // nulls: fingerprint 0, no string
            }

            if (Keys.TryGetValue(field, out var strings))
            {
                var shared = _shared[field];
                await group.ReadTextAsync(column.Name, (first, values) => ReadKeys(values, offset + first, fingerprints, strings, shared, scratch), ct)
                    .ConfigureAwait(false);
            }
            else
            {
                await group.ReadTextAsync(column.Name, (first, values) =>
                {
                    for (var i = 0; i < values.Count; i++)
                        fingerprints[offset + first + i] = values.IsNull(i) ? 0 : ReplayHistory.FieldFingerprint(scratch.Of(values[i]));
                }, ct).ConfigureAwait(false);
            }
        }

        if (group.Has(TransactionColumns.DestinationType.Name))
        {
            await group.ReadTextAsync(TransactionColumns.DestinationType.Name, (first, values) =>
            {
                for (var i = 0; i < values.Count; i++)
                {
                    Destinations[offset + first + i] = values.IsNull(i)
                        ? DestinationType.Merchant
                        : DestinationTypes.TryParse(scratch.Of(values[i]))
                          ?? throw new InvalidDataException($"column 'destination_type' has '{new string(scratch.Of(values[i]))}', neither 'merchant' nor 'account'");
                }
            }, ct).ConfigureAwait(false);
        }

        await group.ReadCentsAsync(Need(group, TransactionColumns.Amount.Name), Cents.AsMemory(offset, count), ct).ConfigureAwait(false);
        await group.ReadTimesAsync(Need(group, TransactionColumns.Timestamp.Name), Times.AsMemory(offset, count), ct).ConfigureAwait(false);

        if (group.Has(TransactionColumns.Typology.Name))
        {
            // A handful of values, needed only for the labelled rows: each looked up by its characters.
            var typologies = new Dictionary<string, string>(StringComparer.Ordinal);
            var lookup = typologies.GetAlternateLookup<ReadOnlySpan<char>>();
            await group.ReadTextAsync(TransactionColumns.Typology.Name, (first, values) =>
            {
                for (var i = 0; i < values.Count; i++)
                {
                    var row = offset + first + i;
                    if (Suspicious[row] is null || values.IsNull(i))
                        continue;
                    var text = scratch.Of(values[i]);
                    if (!lookup.TryGetValue(text, out var value))
                    {
                        value = new string(text);
                        typologies[value] = value;
                    }

                    Typologies[row] = value;
                }
            }, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A key column's batch: fingerprints first, in one pass, then the shared strings, each table slot asked for a few
    /// values ahead of its lookup so that the cache misses of a large table overlap.
    /// </summary>
    private static void ReadKeys(TextValues values, int start, ulong[] fingerprints, string?[] strings, SharedStrings shared, Scratch scratch)
    {
        var n = values.Count;
        var wide = scratch.Wide(n);
        for (var i = 0; i < n; i++)
        {
            if (values.IsNull(i))
            {
                fingerprints[start + i] = 0;
                strings[start + i] = null;
                continue;
            }

            var utf8 = values[i];
            fingerprints[start + i] = ReplayHistory.FieldFingerprint(scratch.Of(utf8));
            wide[i] = XxHash128.HashToUInt128(utf8);
        }

        for (var i = 0; i < n; i++)
        {
            if (i + PrefetchDistance < n && !values.IsNull(i + PrefetchDistance))
                shared.Prefetch(wide[i + PrefetchDistance]);
            if (!values.IsNull(i))
                strings[start + i] = shared.Get(wide[i], values[i]);
        }
    }

    /// <summary>Stable sort by time when the files' concatenation is not in time order already.</summary>
    public void SortByTime()
    {
        if (StableOrder.ByTime(Times) is not { } order)
            return;
        Times = Permute(Times, order);
        Cents = Permute(Cents, order);
        Ids = Permute(Ids, order);
        IdFingerprints = Permute(IdFingerprints, order);
        foreach (var field in Keys.Keys.ToArray())
            Keys[field] = Permute(Keys[field], order);
        foreach (var field in Fingerprints.Keys.ToArray())
            Fingerprints[field] = Permute(Fingerprints[field], order);
        Suspicious = Permute(Suspicious, order);
        Typologies = Permute(Typologies, order);
        Destinations = Permute(Destinations, order);
    }

    private static T[] Permute<T>(T[] values, int[] order)
    {
        var result = new T[values.Length];
        for (var i = 0; i < order.Length; i++)
            result[i] = values[order[i]];
        return result;
    }

    private static string Need(RowGroupColumns group, string column) =>
        group.Has(column) ? column : throw new InvalidDataException($"missing column '{column}'");

    private static global::Parquet.Schema.DataField ColumnOf(TransactionField field) => field switch
    {
        TransactionField.CustomerId => TransactionColumns.CustomerId,
        TransactionField.MerchantId => TransactionColumns.MerchantId,
        TransactionField.IpAddress => TransactionColumns.IpAddress,
        TransactionField.DeviceId => TransactionColumns.DeviceId,
        TransactionField.Country => TransactionColumns.Country,
        TransactionField.Channel => TransactionColumns.Channel,
        TransactionField.PaymentFormat => TransactionColumns.PaymentFormat,
        TransactionField.Currency => TransactionColumns.Currency,
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    /// <summary>Buffers of one row group's reading: text batches, a value's characters, a batch's 128-bit fingerprints.</summary>
    private sealed class Scratch
    {
        public TextValues Text { get; } = new();

        private char[] _chars = new char[64];
        private UInt128[] _wide = [];

        /// <summary>The characters of UTF-8 bytes, as Parquet.Net would decode them; valid until the next call.</summary>
        public ReadOnlySpan<char> Of(ReadOnlySpan<byte> utf8)
        {
            if (_chars.Length < utf8.Length)
                _chars = new char[Math.Max(utf8.Length, _chars.Length * 2)];
            return _chars.AsSpan(0, Encoding.UTF8.GetChars(utf8, _chars));
        }

        public Span<UInt128> Wide(int n)
        {
            if (_wide.Length < n)
                _wide = new UInt128[Math.Max(n, _wide.Length * 2)];
            return _wide.AsSpan(0, n);
        }
    }
}
