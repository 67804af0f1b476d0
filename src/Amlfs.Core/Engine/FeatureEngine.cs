using System.Runtime.InteropServices;
using Amlfs.Registry;
using Amlfs.Registry.Expressions;
using Amlfs.Transactions;

namespace Amlfs.Engine;

/// <summary>
/// The window engine: admits transactions (duplicates, lateness, future timestamps), routes each to the shard of every
/// entity it touches, and evaluates any entity's features as of any time within the query history.
/// <para>
/// Threading: <see cref="Ingest"/> is single-writer (the source calls it from one thread at a time); shards apply on
/// their own threads without locks; <see cref="Read(EntityPlan, string, long, Span{double})"/> may be called from any number of threads at once.
/// </para>
/// </summary>
public sealed partial class FeatureEngine : IDisposable
{
    private const int AdmissionChunk = 64;
    private static readonly int FieldCount = Enum.GetValues<TransactionField>().Length;
    private readonly EngineOptions _options;
    private readonly AdmissionGate _gate;
    private readonly LocalCalendar _calendar;
    private readonly ShardSet _shards;
    private readonly IRejectionSink? _rejections;
    private readonly TransactionField[] _routedFields;
    private readonly bool[] _keeps;
    private readonly bool[] _keepsJoinKeyEnd;
    private int _writing;
    private long _accepted;
    private long _duplicates;
    private long _late;
    private long _future;
    private long _logSequence;
    private long _watermark = long.MinValue;

    public FeatureEngine(FeaturePlan plan, EngineOptions options, TimeProvider? clock = null, IRejectionSink? rejections = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ShardCount, 1);
        Plan = plan;
        StateFormat = new EntityStateFormat(plan);
        _options = options;
        _rejections = rejections;
        _gate = new AdmissionGate(options, clock);
        _calendar = new LocalCalendar(plan.TimeZone);
        if (options.Entities?.FirstOrDefault(name => plan.Entity(name) is null) is { } unknown)
            throw new ArgumentException($"engine options keep entity type '{unknown}', which the definitions do not declare", nameof(options));
        _keeps = plan.Entities.Select(e => options.Keeps(e.Name)).ToArray();
        _keepsJoinKeyEnd = plan.Entities.Select(e => EdgeEnds.KeepsJoinKeyEnd(e.Definition, options.KeptDirection)).ToArray();
        _routedFields = plan.Entities.Where(e => options.Keeps(e.Name)).SelectMany(e => e.DistinctFields.Prepend(e.JoinKey)).Distinct().ToArray();
        _shards = new ShardSet(plan, options);
    }

    public FeaturePlan Plan { get; }

    /// <summary>The byte form of entity states that <see cref="ExportEntityState(EntityPlan, string)"/> writes and replicas evaluate.</summary>
    public EntityStateFormat StateFormat { get; }

    /// <summary>
    /// The watermark readers see: the largest event time published to the shards, or null before the first event.
    /// The admission gate keeps its own, which may run ahead of it between <see cref="Admit"/> and <see cref="Publish"/>.
    /// </summary>
    /// <summary>How far behind the watermark a read's as-of time may be (<see cref="EngineOptions.QueryHistoryMs"/>).</summary>
    public long QueryHistoryMs => _options.QueryHistoryMs;

    public DateTimeOffset? Watermark => Volatile.Read(ref _watermark) is var ms && ms == long.MinValue
        ? null
        : DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public long Accepted => Volatile.Read(ref _accepted);

    public long Duplicates => Volatile.Read(ref _duplicates);

    public long Late => Volatile.Read(ref _late);

    public long FutureTimestamps => Volatile.Read(ref _future);

    /// <summary>
    /// The sequence of the newest transaction published to the shards. Whoever keeps the log assigns the sequences
    /// (the write-ahead log, a Kafka partition's offsets) and the engine keeps them: each entity remembers the
    /// sequence of the newest-arrived event applied to it
    /// (<see cref="Evaluate(EntityPlan, string, long, Span{double}, in ExpressionScope, out long)"/>), and a snapshot
    /// carries it. Without a log (<see cref="IngestBatch(ReadOnlySpan{Transaction}, Span{IngestStatus})"/>) the
    /// engine numbers accepted transactions 1, 2, 3... itself.
    /// </summary>
    public long LogSequence => Volatile.Read(ref _logSequence);

    /// <summary>Events queued for shards and not applied yet.</summary>
    public long QueueDepth => _shards.QueueDepth;

    /// <summary>Admits one transaction and, when accepted, routes it to its entities' shards. Single writer.</summary>
    public IngestStatus Ingest(Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        Span<IngestStatus> status = stackalloc IngestStatus[1];
        IngestBatch(new ReadOnlySpan<Transaction>(ref transaction), status);
        return status[0];
    }

    /// <summary>
    /// Admits a batch in order, writing each transaction's outcome to <paramref name="statuses"/>, and publishes the
    /// accepted ones to the shards at once, numbered after <see cref="LogSequence"/>: for an engine that no log stands
    /// behind (tests, benchmarks, offline replays). Single writer. Faster than one call per transaction: the id-table
    /// lines of a chunk are fetched together and the shards see the chunk at once. Throws before admitting anything
    /// when a timestamp is beyond the engine's range.
    /// </summary>
    public void IngestBatch(ReadOnlySpan<Transaction> batch, Span<IngestStatus> statuses) =>
        IngestBatch(batch, statuses, default);

    /// <summary>
    /// As <see cref="IngestBatch(ReadOnlySpan{Transaction}, Span{IngestStatus})"/>, for transactions that a log already
    /// holds (a replay of the write-ahead log, a Kafka partition): each accepted transaction takes its record's
    /// sequence from <paramref name="logSequences"/> (same length as the batch), so entities keep the log's numbering
    /// even when a record is not accepted again. Sequence 0 marks history from before the log (generated or imported
    /// rows a backfill replays): it is always visible to a logged read and leaves <see cref="LogSequence"/> as it is.
    /// </summary>
    public void IngestBatch(ReadOnlySpan<Transaction> batch, Span<IngestStatus> statuses, ReadOnlySpan<long> logSequences)
    {
        Validate(batch, statuses.Length);
        if (!logSequences.IsEmpty && logSequences.Length != batch.Length)
            throw new ArgumentException("one log sequence per transaction", nameof(logSequences));
        EnterWriter(nameof(IngestBatch));
        try
        {
            Span<UInt128> ids = stackalloc UInt128[AdmissionChunk];
            for (var start = 0; start < batch.Length; start += AdmissionChunk)
            {
                var chunk = batch.Slice(start, Math.Min(AdmissionChunk, batch.Length - start));
                var chunkStatuses = statuses.Slice(start, chunk.Length);
                AdmitChunk(chunk, ids, chunkStatuses);
                for (var i = 0; i < chunk.Length; i++)
                {
                    if (chunkStatuses[i] == IngestStatus.Accepted)
                        Route(chunk[i], logSequences.IsEmpty ? _logSequence + 1 : logSequences[start + i]);
                }

                _shards.Publish();
            }
        }
        finally
        {
            ExitWriter();
        }
    }

    /// <summary>
    /// The first half of durable ingest: decides each transaction's outcome (future timestamp, duplicate, late,
    /// accepted) into <paramref name="statuses"/>, counts and dead-letters the rejected ones, and makes nothing
    /// visible. The writer then appends the accepted transactions to its log, makes them durable, and hands them
    /// with the sequences the log gave them to <see cref="Publish"/>; a read never sees a transaction before that.
    /// If the log cannot be written, the admitted transactions are never published, and ingest must stop: the
    /// admission decisions taken meanwhile (ids seen, the lateness watermark) assume that they were. Single writer.
    /// </summary>
    public void Admit(ReadOnlySpan<Transaction> batch, Span<IngestStatus> statuses)
    {
        Validate(batch, statuses.Length);
        EnterWriter(nameof(Admit));
        try
        {
            Span<UInt128> ids = stackalloc UInt128[AdmissionChunk];
            for (var start = 0; start < batch.Length; start += AdmissionChunk)
            {
                var length = Math.Min(AdmissionChunk, batch.Length - start);
                AdmitChunk(batch.Slice(start, length), ids, statuses.Slice(start, length));
            }
        }
        finally
        {
            ExitWriter();
        }
    }

    /// <summary>
    /// The second half of durable ingest: routes the transactions of an admitted batch whose status is
    /// <see cref="IngestStatus.Accepted"/> to their shards, each under the sequence its log gave it (same length as
    /// the batch; increasing over the accepted ones). Call <see cref="Flush"/> after it to wait until they are
    /// visible. Single writer.
    /// </summary>
    public void Publish(ReadOnlySpan<Transaction> batch, ReadOnlySpan<IngestStatus> statuses, ReadOnlySpan<long> logSequences)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statuses.Length, batch.Length, nameof(statuses));
        if (logSequences.Length != batch.Length)
            throw new ArgumentException("one log sequence per transaction", nameof(logSequences));
        EnterWriter(nameof(Publish));
        try
        {
            for (var start = 0; start < batch.Length; start += AdmissionChunk)
            {
                var end = Math.Min(start + AdmissionChunk, batch.Length);
                for (var i = start; i < end; i++)
                {
                    if (statuses[i] != IngestStatus.Accepted)
                        continue;
                    if (logSequences[i] <= _logSequence)
                        throw new ArgumentException($"log sequence {logSequences[i]} of transaction '{batch[i].TransactionId}' is not after the last published, {_logSequence}", nameof(logSequences));
                    Route(batch[i], logSequences[i]);
                }

                _shards.Publish();
            }
        }
        finally
        {
            ExitWriter();
        }
    }

    private static void Validate(ReadOnlySpan<Transaction> batch, int statuses)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statuses, batch.Length, nameof(statuses));
        foreach (var transaction in batch)
        {
            ArgumentNullException.ThrowIfNull(transaction, nameof(batch));
            if (transaction.TimestampMs is < 0 or > CompactEvent.MaxTimeMs)
                throw new ArgumentOutOfRangeException(nameof(batch), $"transaction '{transaction.TransactionId}' has a timestamp outside 1970-2500");
        }
    }

    private void EnterWriter(string operation)
    {
        if (Interlocked.Exchange(ref _writing, 1) != 0)
            throw new InvalidOperationException($"FeatureEngine.{operation} runs on the single writer; serialize calls to it.");
    }

    private void ExitWriter() => Volatile.Write(ref _writing, 0);

    /// <summary>Admits up to <see cref="AdmissionChunk"/> transactions, their id-table lines and routed fields fetched first.</summary>
    private void AdmitChunk(ReadOnlySpan<Transaction> chunk, Span<UInt128> ids, Span<IngestStatus> statuses)
    {
        for (var i = 0; i < chunk.Length; i++)
        {
            ids[i] = Fingerprint.Of128(chunk[i].TransactionId);
            _gate.Prefetch(ids[i]);
            PrefetchRoutedFields(chunk[i]);
        }

        for (var i = 0; i < chunk.Length; i++)
            statuses[i] = AdmitOne(chunk[i], ids[i]);
    }

    private IngestStatus AdmitOne(Transaction transaction, UInt128 id)
    {
        var status = _gate.Admit(transaction, id);
        switch (status)
        {
            case IngestStatus.Accepted:
                break;
            case IngestStatus.Duplicate:
                Volatile.Write(ref _duplicates, _duplicates + 1);
                break;
            case IngestStatus.Late:
                Volatile.Write(ref _late, _late + 1);
                _rejections?.Rejected(transaction, status, _gate.Describe(transaction, status));
                break;
            default:
                Volatile.Write(ref _future, _future + 1);
                _rejections?.Rejected(transaction, status, _gate.Describe(transaction, status));
                break;
        }

        return status;
    }

    /// <summary>Waits until every event published so far is applied and visible to reads.</summary>
    public void Flush() => _shards.Flush();

    /// <summary>Entities of a type held in memory, over all shards.</summary>
    public int EntityCount(EntityPlan entity) => _shards.EntityCount(entity.Index);

    /// <summary>Approximate managed bytes held by the entities of a type (events, fingerprints, tiles, ids).</summary>
    public long EntityBytes(EntityPlan entity) =>
        _shards.Entities(entity.Index).Sum(e => e.ApproximateBytes());

    public void Dispose() => _shards.Dispose();

    /// <summary>Makes one accepted transaction visible: counts it, keeps its sequence, and queues it for its entities' shards.</summary>
    private void Route(Transaction transaction, long logSequence)
    {
        Volatile.Write(ref _accepted, _accepted + 1);
        if (logSequence > _logSequence)
            Volatile.Write(ref _logSequence, logSequence);
        if (transaction.TimestampMs > _watermark)
            Volatile.Write(ref _watermark, transaction.TimestampMs);
        var (hour, day) = _calendar.Local(transaction.TimestampMs);
        var e = new CompactEvent(transaction.TimestampMs, transaction.AmountCents, hour, day,
            transfer: transaction.DestinationType == DestinationType.Account);
        // Each field is hashed at most once per event, though it may be one entity's key and another's distinct field.
        Span<ulong> hashes = stackalloc ulong[FieldCount];
        var entities = Plan.Entities;
        for (var i = 0; i < entities.Count; i++)
        {
            if (!_keeps[i])
                continue;
            var plan = entities[i];
            var id = _keepsJoinKeyEnd[i] ? FieldOf(transaction, plan.JoinKey) : null;
            if (id is not null) // e.g. an ip entity and a transaction without IP
                RouteEnd(transaction, plan, id, HashOf(transaction, plan.JoinKey, hashes), e, logSequence, hashes);
            if (EdgeEnds.ReachesAsInflow(plan.Definition, transaction.DestinationType, _options.KeptDirection))
            {
                RouteEnd(transaction, plan, EdgeEnds.InflowEntityId(transaction), HashOf(transaction, TransactionField.MerchantId, hashes),
                    e.AsInflow(), logSequence, hashes);
            }
        }
    }

    /// <summary>Queues the event for one entity at one end of the transaction's edge.</summary>
    private void RouteEnd(Transaction transaction, EntityPlan plan, string id, ulong idHash, CompactEvent e, long logSequence, Span<ulong> hashes)
    {
        var message = new ShardMessage { EntityId = id, EntityHash = idHash, Entity = plan.Index, Sequence = logSequence, Event = e };
        var fields = plan.DistinctFields;
        for (var f = 0; f < fields.Length; f++)
        {
            message.Fingerprints[f] = fields[f] == TransactionField.CounterpartyId
                ? EdgeEnds.Counterparty(plan.JoinKey, e.IsInflow, transaction.DestinationType,
                    HashOf(transaction, TransactionField.CustomerId, hashes), HashOf(transaction, TransactionField.MerchantId, hashes))
                : HashOf(transaction, fields[f], hashes);
        }

        _shards.Route(message);
    }

    /// <summary>Hints for the strings routing will hash: ids and distinct fields shared by many transactions.</summary>
    private void PrefetchRoutedFields(Transaction transaction)
    {
        foreach (var field in _routedFields)
        {
            if (FieldOf(transaction, field) is { Length: > 0 } value)
                CachePrefetch.Read(ref MemoryMarshal.GetReference(value.AsSpan()));
        }
    }

    private static ulong HashOf(Transaction transaction, TransactionField field, Span<ulong> hashes)
    {
        ref var hash = ref hashes[(int)field];
        if (hash == 0)
            hash = Fingerprint.Of(FieldOf(transaction, field)); // a missing value stays 0 and costs a null check
        return hash;
    }

    /// <summary>
    /// The fields of <paramref name="request"/> as the aggregations that compare an entity's events with the request
    /// read them (<see cref="ExpressionScope.Request"/>): each field's fingerprint as routing computes it.
    /// </summary>
    public static RequestFields RequestFieldsOf(Transaction request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Span<ulong> fingerprints = stackalloc ulong[FieldCount];
        for (var f = 0; f < FieldCount; f++)
            fingerprints[f] = Fingerprint.Of(FieldOf(request, (TransactionField)f));
        return new RequestFields(fingerprints, request.DestinationType);
    }

    /// <summary>The value of <paramref name="field"/> in <paramref name="t"/>: an entity's id or a distinct field; null when missing.</summary>
    public static string? FieldOf(Transaction t, TransactionField field) => field switch
    {
        TransactionField.CustomerId => t.CustomerId,
        TransactionField.MerchantId => t.MerchantId,
        TransactionField.IpAddress => t.IpAddress,
        TransactionField.DeviceId => t.DeviceId,
        TransactionField.Country => t.Country,
        TransactionField.Channel => t.Channel,
        TransactionField.PaymentFormat => t.PaymentFormat,
        TransactionField.Currency => t.Currency,
        _ => null,
    };

}
