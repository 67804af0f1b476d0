using System.Globalization;
using System.Runtime.CompilerServices;
using Amlfs.Registry.Expressions;
using Amlfs.Transactions;

namespace Amlfs.Engine;

/// <summary>
/// The replay loop: feeds an ordered source of events through a <see cref="FeatureEngine"/> in batches and reads
/// features as of instants that move forward, each read seeing exactly the events before its instant
/// (<see cref="IsVisible"/>). Recovery (the write-ahead log after a snapshot), the backfill of the online state and the
/// consistency check all run on it; the partitioned replay of training sets (<see cref="PartitionedReplay"/>) shares
/// its visibility rule and the engine's admission gate.
/// <para>
/// Events reach the engine through
/// <see cref="FeatureEngine.IngestBatch(ReadOnlySpan{Transaction}, Span{IngestStatus}, ReadOnlySpan{long})"/> with
/// their log sequences, and the engine admits them as it admits live traffic: a transaction id repeated within the
/// dedup retention is a duplicate, an event older than the watermark minus the allowed lateness is late. A read as of
/// q first feeds every event before q and waits until the engine has applied them. Reads therefore need the events in
/// event-time order: an event before q that came after an event at or after q would be missed, so the replay refuses
/// an event that goes back in time once it reads (it checks each event as it takes it from the source). Fed without
/// reads (<see cref="FeedRemaining"/>), events are admitted in the order given, such as a log's acceptance order, in
/// which an event may be late within the allowed lateness.
/// </para>
/// <para>Single-threaded, like the engine's writer. The engine is the caller's; disposing the replay disposes the
/// source's enumerator.</para>
/// </summary>
public sealed class Replay : IDisposable
{
    /// <summary>Events per <c>IngestBatch</c> call unless the caller says otherwise.</summary>
    public const int DefaultBatchSize = 4096;

    private readonly IEnumerator<ReplayEvent> _source;
    private readonly ReplayFed? _fed;
    private readonly Transaction[] _batch;
    private readonly long[] _sequences;
    private readonly IngestStatus[] _statuses;
    private int _count;
    private bool _hasPending;
    private bool _exhausted;
    private bool _finished;
    private ReplayEvent _pending;
    private long _lastEventMs = long.MinValue;
    private long _asOfMs = long.MinValue;

    /// <param name="engine">The engine to feed; the caller's, and not fed by anyone else meanwhile.</param>
    /// <param name="events">The events in the order to admit them: event-time order when the replay is read.</param>
    /// <param name="fed">Receives each batch once the engine has admitted it.</param>
    /// <param name="batchSize">Events per <c>IngestBatch</c> call.</param>
    public Replay(FeatureEngine engine, IEnumerable<ReplayEvent> events, ReplayFed? fed = null, int batchSize = DefaultBatchSize)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        Engine = engine;
        _fed = fed;
        _batch = new Transaction[batchSize];
        _sequences = new long[batchSize];
        _statuses = new IngestStatus[batchSize];
        _source = events.GetEnumerator();
    }

    /// <summary>The engine the replay feeds.</summary>
    public FeatureEngine Engine { get; }

    /// <summary>Events handed to the engine so far.</summary>
    public long Fed { get; private set; }

    /// <summary>Of <see cref="Fed"/>, the events the engine accepted.</summary>
    public long Accepted { get; private set; }

    /// <summary>
    /// Whether an event at <paramref name="eventTimeMs"/> is visible to a read as of <paramref name="asOfMs"/>: windows
    /// are half-open, <c>[q - W, q)</c>, so exactly the events strictly before q are; an event at q is not counted.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsVisible(long eventTimeMs, long asOfMs) => eventTimeMs < asOfMs;

    /// <summary>
    /// Feeds every event before <paramref name="asOfMs"/> and waits until the engine has applied them, so that a read
    /// as of that instant sees exactly the events before it.
    /// </summary>
    /// <exception cref="ArgumentException">The instant is before an earlier one, or an event taken from the source goes
    /// back in time.</exception>
    /// <exception cref="InvalidOperationException"><see cref="FeedRemaining"/> was called.</exception>
    public void AdvanceTo(long asOfMs)
    {
        if (_finished)
            throw new InvalidOperationException("the replay has fed every event: a read now could see events at or after its instant");
        if (asOfMs < _asOfMs)
        {
            throw new ArgumentException(Invariant(
                $"reads must be in time order: as of {Format(asOfMs)} comes after a read as of {Format(_asOfMs)}"), nameof(asOfMs));
        }

        _asOfMs = asOfMs;
        while (TryPeek(ordered: true) && IsVisible(_pending.Transaction.TimestampMs, asOfMs))
            Take();
        FeedBatch();
        Engine.Flush();
    }

    /// <summary>
    /// Evaluates every stored feature of an entity as of <paramref name="asOfMs"/> into <paramref name="features"/>
    /// (in <c>entity.Features</c> order), after <see cref="AdvanceTo"/> that instant. Returns whether the entity has state.
    /// </summary>
    public bool Read(EntityPlan entity, string id, long asOfMs, Span<double> features)
    {
        CheckEntity(entity);
        AdvanceTo(asOfMs);
        return Engine.Read(entity, id, asOfMs, features);
    }

    /// <summary>
    /// Evaluates an entity's stored features and, with <paramref name="requestAmount"/>, its request features, as of
    /// <paramref name="asOfMs"/> into <paramref name="values"/> (the plan's value layout, <c>entity.ValueCount</c>),
    /// after <see cref="AdvanceTo"/> that instant; with <paramref name="request"/>, the aggregations compared with the
    /// request compare with its fields. Returns whether the entity has state.
    /// </summary>
    public bool Evaluate(EntityPlan entity, string id, long asOfMs, double? requestAmount, Span<double> values, RequestFields? request = null)
    {
        CheckEntity(entity);
        AdvanceTo(asOfMs);
        return Engine.Evaluate(entity, id, asOfMs, values, new ExpressionScope(asOfMs, requestAmount, request));
    }

    /// <summary>
    /// Feeds every event left in the source, in the order given, and ends the replay: no read may follow. It does not
    /// wait for a threaded engine's shards to apply the last batches (<see cref="FeatureEngine.Flush"/> does).
    /// </summary>
    public void FeedRemaining()
    {
        _finished = true;
        while (TryPeek(ordered: false))
            Take();
        FeedBatch();
    }

    public void Dispose() => _source.Dispose();

    private void CheckEntity(EntityPlan entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var entities = Engine.Plan.Entities;
        if (entity.Index >= entities.Count || !ReferenceEquals(entities[entity.Index], entity))
            throw new ArgumentException($"entity '{entity.Name}' is not from the plan of the replay's engine", nameof(entity));
    }

    /// <summary>Makes the next event of the source pending, if there is one; when reading, refuses one that goes back in time.</summary>
    private bool TryPeek(bool ordered)
    {
        if (_hasPending)
            return true;
        if (_exhausted || !_source.MoveNext())
        {
            _exhausted = true;
            return false;
        }

        _pending = _source.Current;
        ArgumentNullException.ThrowIfNull(_pending.Transaction, "events");
        var time = _pending.Transaction.TimestampMs;
        if (ordered && time < _lastEventMs)
        {
            throw new ArgumentException(Invariant(
                $"a replay that reads needs its events in event-time order: transaction '{_pending.Transaction.TransactionId}' at {Format(time)} comes after an event at {Format(_lastEventMs)}"),
                "events");
        }

        _lastEventMs = Math.Max(_lastEventMs, time);
        _hasPending = true;
        return true;
    }

    /// <summary>Moves the pending event into the batch, feeding the batch when it is full.</summary>
    private void Take()
    {
        _batch[_count] = _pending.Transaction;
        _sequences[_count++] = _pending.LogSequence;
        _hasPending = false;
        if (_count == _batch.Length)
            FeedBatch();
    }

    private void FeedBatch()
    {
        if (_count == 0)
            return;
        var batch = _batch.AsSpan(0, _count);
        var sequences = _sequences.AsSpan(0, _count);
        var statuses = _statuses.AsSpan(0, _count);
        Engine.IngestBatch(batch, statuses, sequences);
        foreach (var status in statuses)
        {
            if (status == IngestStatus.Accepted)
                Accepted++;
        }

        Fed += _count;
        _fed?.Invoke(batch, sequences, statuses);
        _count = 0;
    }

    private static string Format(long ms) => ms is >= 0 and <= CompactEvent.MaxTimeMs
        ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("O", CultureInfo.InvariantCulture)
        : ms.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
