using Amlfs.Registry;
using Amlfs.Registry.Expressions;
using Amlfs.Transactions;

namespace Amlfs.Engine;

/// <summary>
/// The events of one entity type in a <see cref="PartitionedReplay"/>, by reference: an event is the history position
/// of its transaction, with <see cref="InflowFlag"/> set when it reaches the entity as the destination account of a
/// transfer (<see cref="EdgeEnds"/>). Gives each referenced event's entity id, hash, fingerprints and compact form as
/// the online engine would route it.
/// </summary>
internal sealed class ReplayEvents
{
    /// <summary>Marks a reference to an inflow; the other bits are the history position.</summary>
    public const int InflowFlag = int.MinValue;

    private readonly EntityPlan _entity;
    private readonly ReplayHistory _history;
    private readonly string?[] _keys;
    private readonly ulong[] _keyHashes;
    private readonly string?[]? _inflowKeys;
    private readonly ulong[]? _inflowKeyHashes;
    private readonly ulong[]?[] _fieldHashes;
    private readonly ulong[]? _customerHashes;
    private readonly ulong[]? _merchantHashes;
    private readonly LocalCalendar _calendar;

    /// <summary>The events of <paramref name="entity"/>, a type of <paramref name="plan"/>, in <paramref name="history"/>.</summary>
    /// <param name="plan">The compiled definitions (their time zone gives the events' local hours and days).</param>
    /// <param name="entity">The entity type.</param>
    /// <param name="history">The history replayed.</param>
    /// <param name="hashes">Fingerprints of every field the entity reads (<see cref="PartitionedReplay.FieldsRead"/>).</param>
    public ReplayEvents(FeaturePlan plan, EntityPlan entity, ReplayHistory history, IReadOnlyDictionary<TransactionField, ulong[]> hashes)
    {
        _entity = entity;
        _history = history;
        _keys = history.Field(entity.JoinKey)!;
        _keyHashes = hashes[entity.JoinKey];
        if (entity.Definition.Inflows)
        {
            _inflowKeys = history.Field(TransactionField.MerchantId)!;
            _inflowKeyHashes = hashes[TransactionField.MerchantId];
        }

        if (entity.DistinctFields.Contains(TransactionField.CounterpartyId))
        {
            _customerHashes = hashes[TransactionField.CustomerId];
            _merchantHashes = hashes[TransactionField.MerchantId];
        }

        _fieldHashes = [.. entity.DistinctFields.Select(f => f == TransactionField.CounterpartyId ? null : hashes[f])];
        _calendar = new LocalCalendar(plan.TimeZone);
    }

    /// <summary>Whether the entity type receives inflows, so that references may carry <see cref="InflowFlag"/>.</summary>
    public bool HasInflows => _inflowKeys is not null;

    /// <summary>Whether transaction <paramref name="i"/> also reaches an entity of this type as an inflow.</summary>
    public bool IsTransfer(int i) => _inflowKeys is not null && _history.DestinationOf(i) == DestinationType.Account;

    public static int Position(int reference) => reference & int.MaxValue;

    public static bool IsInflow(int reference) => reference < 0;

    public ulong EntityHash(int reference) => IsInflow(reference) ? _inflowKeyHashes![Position(reference)] : _keyHashes[reference];

    /// <summary>The history time of a referenced event.</summary>
    public long TimeMs(int reference) => _history.TimesMs[Position(reference)];

    /// <summary>A hint that the referenced event's time and entity hash will be read soon.</summary>
    public void Prefetch(int reference)
    {
        var i = Position(reference);
        CachePrefetch.Read(ref _history.TimesMs[i]);
        CachePrefetch.Read(ref (IsInflow(reference) ? _inflowKeyHashes! : _keyHashes)[i]);
    }

    /// <summary>The referenced event as the engine routes it to its entity's shard.</summary>
    public void Build(ref ShardMessage message, int reference)
    {
        var i = Position(reference);
        var inflow = IsInflow(reference);
        message.EntityId = (inflow ? _inflowKeys! : _keys)[i]!;
        message.EntityHash = EntityHash(reference);
        message.Entity = _entity.Index;
        message.Event = Event(reference);
        for (var f = 0; f < _fieldHashes.Length; f++)
        {
            message.Fingerprints[f] = _fieldHashes[f] is { } column
                ? column[i]
                : EdgeEnds.Counterparty(_entity.JoinKey, inflow, _history.DestinationOf(i), _customerHashes![i], _merchantHashes![i]);
        }
    }

    /// <summary>
    /// Transaction <paramref name="position"/> as the request of a row (<see cref="ReplayQuery.Requests"/>): the
    /// fingerprints of the fields this entity type counts or compares, as <see cref="FeatureEngine.RequestFieldsOf"/>
    /// gives them for the transaction itself; the fields no aggregation of the type reads stay 0.
    /// </summary>
    public RequestFields RequestFieldsOf(int position)
    {
        Span<ulong> fingerprints = stackalloc ulong[Enum.GetValues<TransactionField>().Length];
        var fields = _entity.DistinctFields;
        for (var f = 0; f < fields.Length; f++)
        {
            if (_fieldHashes[f] is { } column)
                fingerprints[(int)fields[f]] = column[position];
        }

        if (_customerHashes is not null)
        {
            fingerprints[(int)TransactionField.CustomerId] = _customerHashes[position];
            fingerprints[(int)TransactionField.MerchantId] = _merchantHashes![position];
        }

        return new RequestFields(fingerprints, _history.DestinationOf(position));
    }

    /// <summary>The referenced event as entities store it, with its local hour and day.</summary>
    public CompactEvent Event(int reference)
    {
        var i = Position(reference);
        var t = _history.TimesMs[i];
        var (hour, day) = _calendar.Local(t);
        return new CompactEvent(t, _history.AmountCents[i], hour, day, IsInflow(reference),
            transfer: _history.DestinationOf(i) == DestinationType.Account);
    }
}
