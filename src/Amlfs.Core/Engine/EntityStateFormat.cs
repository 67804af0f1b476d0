using System.Globalization;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using Amlfs.Registry.Expressions;

namespace Amlfs.Engine;

/// <summary>
/// The byte form of one entity's window state, which workers write to an online store and stateless replicas evaluate
/// with the engine's own evaluator, so that a replica never holds a second implementation of a feature. Layout, in
/// <see cref="SnapshotWriter"/> frames (checksummed) after the magic <c>AMLFENT1</c>:
/// <code>
/// layout fingerprint (uint64), entity type name, entity id, the entity's state as an engine snapshot holds it
/// </code>
/// The fingerprint covers the format version, the time zone, the sizes of the structs copied as bytes and every
/// entity type's layout (see <see cref="EngineSnapshot.LayoutFingerprint"/>); <see cref="Version"/> is its hex form,
/// for keys, so that replicas of another definitions layout never even read these bytes.
/// </summary>
public sealed class EntityStateFormat
{
    /// <summary>Bump on any change to the layout above or to what <see cref="EntityState"/> writes.</summary>
    public const int FormatVersion = 1;

    private readonly ulong _fingerprint;

    public EntityStateFormat(FeaturePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Plan = plan;
        var hash = new XxHash64();
        EngineSnapshot.Add(hash, FormatVersion);
        EngineSnapshot.Add(hash, EngineSnapshot.FormatVersion);
        EngineSnapshot.Add(hash, plan.TimeZone.Id);
        EngineSnapshot.Add(hash, Unsafe.SizeOf<CompactEvent>());
        EngineSnapshot.Add(hash, Unsafe.SizeOf<WindowAggregate>());
        EngineSnapshot.AddEntityLayouts(hash, plan);
        _fingerprint = hash.GetCurrentHashAsUInt64();
        Version = _fingerprint.ToString("x16", CultureInfo.InvariantCulture);
    }

    private static ReadOnlySpan<byte> Magic => "AMLFENT1"u8;

    /// <summary>The plan whose entity layouts these bytes follow.</summary>
    public FeaturePlan Plan { get; }

    /// <summary>
    /// Sixteen hex digits naming the state layout: equal for two plans exactly when each can read the other's bytes.
    /// Editing a derived feature or an exact window within the retained span leaves it unchanged.
    /// </summary>
    public string Version { get; }

    /// <summary>
    /// Evaluates the stored features of an entity as of <paramref name="asOfMs"/> from bytes a
    /// <see cref="FeatureEngine.ExportEntityState(EntityPlan, string)"/> of the same layout wrote, into <paramref name="features"/> (length
    /// <c>entity.Features.Count</c>, in that order): bit-equal to what that engine reads as of the same time. Null or
    /// empty bytes are an unknown entity (no events, as the engine reads it). Returns the entity's log sequence held in
    /// the bytes (0 for none). Throws <see cref="InvalidDataException"/> for corrupt bytes, bytes of another layout or
    /// of another entity type.
    /// </summary>
    public long Evaluate(EntityPlan entity, byte[]? state, long asOfMs, Span<double> features) =>
        Evaluate(entity, state, null, asOfMs, features);

    /// <summary>
    /// As <see cref="Evaluate(EntityPlan, byte[], long, Span{double})"/>, for an account whose outflows and inflows
    /// two engines keep (<see cref="EngineOptions.KeptDirection"/>): evaluates <paramref name="state"/> and
    /// <paramref name="inflows"/>, the two partial states of one entity, merged; either may be null or empty. Returns
    /// the larger log sequence of the two.
    /// </summary>
    public long Evaluate(EntityPlan entity, byte[]? state, byte[]? inflows, long asOfMs, Span<double> features)
    {
        ArgumentNullException.ThrowIfNull(entity);
        Span<double> values = entity.ValueCount <= 256 ? stackalloc double[entity.ValueCount] : new double[entity.ValueCount];
        var sequence = Evaluate(entity, state, inflows, asOfMs, values, new ExpressionScope(asOfMs, null));
        FeatureEngine.CopyFeatures(entity, values, features);
        return sequence;
    }

    /// <summary>
    /// Evaluates stored features and, when <paramref name="scope"/> carries a request amount, request features into the
    /// plan's value layout (<paramref name="values"/> has length <c>entity.ValueCount</c>): bit-equal to
    /// <see cref="FeatureEngine.Evaluate(EntityPlan, string, long, Span{double}, in ExpressionScope, out long)"/> on the
    /// engine that wrote the bytes. Null or empty bytes are an unknown entity. Returns the log sequence held in the bytes
    /// (0 for none); throws <see cref="InvalidDataException"/> as the other overload does.
    /// </summary>
    public long Evaluate(EntityPlan entity, byte[]? state, long asOfMs, Span<double> values, in ExpressionScope scope) =>
        Evaluate(entity, state, null, asOfMs, values, scope);

    /// <summary>
    /// As <see cref="Evaluate(EntityPlan, byte[], long, Span{double}, in ExpressionScope)"/>, for the two partial
    /// states of an account whose outflows and inflows two engines keep (<see cref="EngineOptions.KeptDirection"/>):
    /// <paramref name="state"/> and <paramref name="inflows"/> are evaluated merged (<see cref="EntityState.Merge"/>),
    /// bit-equal to one engine that kept both; either may be null or empty. Returns the larger log sequence of the two.
    /// Throws <see cref="InvalidDataException"/> as the other overloads do, and when the two are of different entities.
    /// </summary>
    public long Evaluate(EntityPlan entity, byte[]? state, byte[]? inflows, long asOfMs, Span<double> values, in ExpressionScope scope) =>
        Evaluate(entity, state, inflows, asOfMs, values, scope, null);

    /// <summary>
    /// As <see cref="Evaluate(EntityPlan, byte[], byte[], long, Span{double}, in ExpressionScope)"/>, for an entity type
    /// whose graph features read other accounts (<see cref="EntityPlan.ReadsNeighbours"/>): their states come from
    /// <paramref name="neighbours"/>, which records the accounts a search asked for and did not hold
    /// (<see cref="NeighbourStates.Missing"/>); the values are final once a call leaves nothing missing.
    /// </summary>
    /// <exception cref="InvalidOperationException">The entity type's graph features read other accounts and no neighbours are given.</exception>
    /// <remarks>With a <paramref name="selection"/> of the entity type, only its values are evaluated; the others are NaN.</remarks>
    public long Evaluate(EntityPlan entity, byte[]? state, byte[]? inflows, long asOfMs, Span<double> values, in ExpressionScope scope,
        NeighbourStates? neighbours, EntitySelection? selection = null)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (selection is not null && !ReferenceEquals(selection.Plan, entity))
            throw new ArgumentException($"the selection is of entity type '{selection.Plan.Name}', not '{entity.Name}'", nameof(selection));
        if (!ReferenceEquals(Plan.Entity(entity.Name), entity))
            throw new ArgumentException($"entity type '{entity.Name}' is not of this format's plan", nameof(entity));
        if (values.Length < entity.ValueCount)
            throw new ArgumentException($"values holds {values.Length} slots; entity type '{entity.Name}' has {entity.ValueCount}", nameof(values));
        var restored = Restore(entity, state, inflows);

        // The same two steps, in the same order, as FeatureEngine.Evaluate: the bits of every value follow.
        var hash = restored is null ? 0 : Fingerprint.Of(restored.Id);
        var sequence = EntityEvaluator.Evaluate(entity, restored, hash, asOfMs, values, scope, neighbours, selection: selection);
        if (entity.Request.Length > 0 && scope.RequestAmount is not null)
            EntityEvaluator.EvaluateRequest(entity, values, scope, selection);
        return sequence;
    }

    /// <summary>The bytes of one entity's state; the caller makes sure no writer mutates it meanwhile, or retries.</summary>
    internal byte[] Write(EntityPlan entity, EntityState state)
    {
        using var stream = new MemoryStream();
        using (var writer = new SnapshotWriter(stream, Magic))
        {
            writer.WriteUInt64(_fingerprint);
            writer.WriteString(entity.Name);
            writer.WriteString(state.Id);
            state.WriteTo(writer);
            writer.Complete();
        }

        return stream.ToArray();
    }

    /// <summary>One entity's state from the bytes of its one or two partial states (either may be null or empty), or null.</summary>
    internal EntityState? Restore(EntityPlan entity, byte[]? state, byte[]? inflows)
    {
        var restored = state is { Length: > 0 } ? Read(entity, state) : null;
        if (inflows is { Length: > 0 })
        {
            var received = Read(entity, inflows);
            if (restored is not null && restored.Id != received.Id)
                throw new InvalidDataException($"the partial states of one {entity.Name} are of '{restored.Id}' and '{received.Id}'");
            restored = restored is null ? received : EntityState.Merge(restored, received, new EntityArrays());
        }

        return restored;
    }

    private EntityState Read(EntityPlan entity, byte[] bytes)
    {
        using var reader = new SnapshotReader(new MemoryStream(bytes, writable: false), Magic);
        if (reader.ReadUInt64() != _fingerprint)
            throw new InvalidDataException($"the entity state was written for another state layout than {Version}");
        var name = reader.ReadString();
        if (name != entity.Name)
            throw new InvalidDataException($"the entity state is of entity type '{name}', not '{entity.Name}'");
        var id = reader.ReadString();
        var state = EntityState.ReadFrom(reader, id, entity.DistinctFields.Length, entity.Tiles.Length, new EntityArrays(), entity.SeenFamilies.Length);
        reader.ReadEnd();
        return state;
    }
}
