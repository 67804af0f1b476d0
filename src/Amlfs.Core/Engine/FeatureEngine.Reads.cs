using System.Globalization;
using Amlfs.Registry;
using Amlfs.Registry.Expressions;

namespace Amlfs.Engine;

/// <summary>Reads of the engine: features and entity states as of any time within the query history, from any thread.</summary>
public sealed partial class FeatureEngine
{
    /// <summary>
    /// Evaluates every stored feature of an entity as of <paramref name="asOfMs"/> into <paramref name="features"/>
    /// (length <c>entity.Features.Count</c>, in that order). Returns whether the entity has stored state; an unknown
    /// entity reads as one without events (every aggregation 0, derived features over those zeros). Thread-safe and allocation-free for plans of up to a few hundred values.
    /// </summary>
    public bool Read(EntityPlan entity, string id, long asOfMs, Span<double> features) =>
        Read(entity, id, asOfMs, features, out _);

    /// <summary>
    /// As <see cref="Read(EntityPlan, string, long, Span{double})"/>, also giving the entity's log sequence read with the
    /// features: they are computed from exactly its events with sequences up to <paramref name="logSequence"/> (0 for
    /// an unknown entity).
    /// </summary>
    public bool Read(EntityPlan entity, string id, long asOfMs, Span<double> features, out long logSequence) =>
        Read(entity, id, asOfMs, features, out logSequence, null);

    /// <summary>
    /// As <see cref="Read(EntityPlan, string, long, Span{double}, out long)"/>, adding to <paramref name="neighbourReads"/>,
    /// when given, each other account the graph searches read, with the log sequence of the state read: what a feature
    /// log needs to recompute the graph values exactly.
    /// </summary>
    public bool Read(EntityPlan entity, string id, long asOfMs, Span<double> features, out long logSequence, List<NeighbourRead>? neighbourReads)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(id);
        Span<double> values = entity.ValueCount <= 256 ? stackalloc double[entity.ValueCount] : new double[entity.ValueCount];
        var known = Evaluate(entity, id, asOfMs, values, new ExpressionScope(asOfMs, null), out logSequence, neighbourReads);
        CopyFeatures(entity, values, features);
        return known;
    }

    /// <summary>
    /// Evaluates stored features and, when a request is given, request features into the plan's value layout:
    /// <paramref name="values"/> has length <c>entity.ValueCount</c>.
    /// </summary>
    public bool Evaluate(EntityPlan entity, string? id, long asOfMs, Span<double> values, in ExpressionScope scope) =>
        Evaluate(entity, id, asOfMs, values, scope, out _);

    /// <summary>
    /// As <see cref="Evaluate(EntityPlan, string, long, Span{double}, in ExpressionScope)"/>, also giving the entity's
    /// log sequence read consistently with the values (see <see cref="Read(EntityPlan, string, long, Span{double}, out long)"/>).
    /// A null <paramref name="id"/> is an entity the request does not name (a payment without an IP for an entity
    /// joined on <c>ip_address</c>): it reads as unknown, as an entity without events.
    /// </summary>
    public bool Evaluate(EntityPlan entity, string? id, long asOfMs, Span<double> values, in ExpressionScope scope, out long logSequence) =>
        Evaluate(entity, id, asOfMs, values, scope, out logSequence, null);

    /// <summary>
    /// As <see cref="Evaluate(EntityPlan, string, long, Span{double}, in ExpressionScope, out long)"/>, adding to
    /// <paramref name="neighbourReads"/>, when given, each other account the graph searches read with its log sequence.
    /// With a <paramref name="selection"/> of the entity type, only its values are evaluated; the others are NaN.
    /// </summary>
    public bool Evaluate(EntityPlan entity, string? id, long asOfMs, Span<double> values, in ExpressionScope scope, out long logSequence,
        List<NeighbourRead>? neighbourReads, EntitySelection? selection = null)
    {
        if (selection is not null && !ReferenceEquals(selection.Plan, entity))
            throw new ArgumentException($"the selection is of entity type '{selection.Plan.Name}', not '{entity?.Name}'", nameof(selection));
        ArgumentNullException.ThrowIfNull(entity);
        var watermark = Volatile.Read(ref _watermark);
        if (watermark != long.MinValue && asOfMs < watermark - _options.QueryHistoryMs)
        {
            throw new ArgumentOutOfRangeException(nameof(asOfMs), string.Create(CultureInfo.InvariantCulture,
                $"as-of time {DateTimeOffset.FromUnixTimeMilliseconds(asOfMs):O} is older than the retained history ({WindowRules.FormatDuration(_options.QueryHistoryMs)} before {DateTimeOffset.FromUnixTimeMilliseconds(watermark):O})"));
        }

        EntityState? state = null;
        var hash = 0UL;
        if (id is not null)
        {
            hash = Fingerprint.Of(id);
            state = _shards.ShardOf(hash).Find(entity.Index, id, hash);
        }

        logSequence = EntityEvaluator.Evaluate(entity, state, hash, asOfMs, values, scope, _shards, neighbourReads, selection);
        if (entity.Request.Length > 0 && scope.RequestAmount is not null)
            EntityEvaluator.EvaluateRequest(entity, values, scope, selection);
        return state is not null;
    }

    /// <summary>
    /// The state of one entity as bytes in <see cref="StateFormat"/> (for an online store), or null when the engine
    /// holds no state for it. Thread-safe: a copy torn by a concurrent shard write is detected and taken again.
    /// </summary>
    public byte[]? ExportEntityState(EntityPlan entity, string id) => ExportEntityState(entity, id, out _);

    /// <summary>
    /// As <see cref="ExportEntityState(EntityPlan, string)"/>, also giving the entity's log sequence that the bytes hold
    /// (0 when there is no state): the position an online store compares before it replaces a stored state.
    /// </summary>
    public byte[]? ExportEntityState(EntityPlan entity, string id, out long logSequence)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(id);
        var hash = Fingerprint.Of(id);
        var spinner = default(SpinWait);
        while (true)
        {
            logSequence = 0;
            var state = _shards.ShardOf(hash).Find(entity.Index, id, hash);
            if (state is null)
                return null;
            var version = state.Version;
            if ((version & 1) == 0)
            {
                byte[]? bytes = null;
                try
                {
                    logSequence = Volatile.Read(ref state.LogSequence);
                    bytes = StateFormat.Write(entity, state);
                }
                catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException && !state.Validate(version))
                {
                    // a torn copy: the writer moved the arrays under it; take it again
                }

                if (bytes is not null && state.Validate(version))
                    return bytes;
            }

            spinner.SpinOnce();
        }
    }

    /// <summary>Copies the stored features out of an evaluation's value layout, in <c>entity.Features</c> order.</summary>
    public static void CopyFeatures(EntityPlan entity, ReadOnlySpan<double> values, Span<double> features)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var map = entity.FeatureValue;
        for (var i = 0; i < map.Length; i++)
            features[i] = values[map[i]];
    }
}
