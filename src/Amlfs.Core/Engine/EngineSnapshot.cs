using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Amlfs.Registry;

namespace Amlfs.Engine;

/// <summary>
/// The snapshot format of a <see cref="FeatureEngine"/>, in <see cref="SnapshotWriter"/> frames after the magic
/// <c>AMLFSNAP</c>:
/// <code>
/// header    format version (int32), layout fingerprint (uint64), shard count (int32)
/// counters  accepted, duplicates, late, future timestamps, log sequence (int64 each)
/// gate      source watermark (int64), live transaction ids in chunks
/// shards    per shard: its watermark (int64), then one entity table per entity type, in plan order (each entity
///           with its log sequence since version 2)
/// </code>
/// A snapshot written for another layout (format version, anything in <see cref="LayoutFingerprint"/>) is refused,
/// not converted: the caller rebuilds from its log. Reading builds the entity tables aside and hands them over only
/// when the last frame has been verified (the ids go straight into the fresh gate's empty table and are forgotten on
/// failure), so a corrupt snapshot leaves the engine as it was.
/// </summary>
internal sealed class EngineSnapshot
{
    /// <summary>Bump on any change to the sections or to the fields of <see cref="CompactEvent"/> or <see cref="WindowAggregate"/>.</summary>
    public const int FormatVersion = 2;

    private readonly long _gateWatermark;
    private readonly long[] _shardWatermarks;
    private readonly EntityTable[][] _tables;

    private EngineSnapshot(EngineCounters counters, long gateWatermark, long[] shardWatermarks, EntityTable[][] tables)
    {
        Counters = counters;
        _gateWatermark = gateWatermark;
        _shardWatermarks = shardWatermarks;
        _tables = tables;
    }

    private static ReadOnlySpan<byte> Magic => "AMLFSNAP"u8;

    public EngineCounters Counters { get; }

    /// <summary>Writes the state of a quiescent engine: no ingest in progress, shard queues drained.</summary>
    public static void Write(Stream stream, FeaturePlan plan, EngineOptions options, EngineCounters counters,
        AdmissionGate gate, FeatureShard[] shards)
    {
        using var writer = new SnapshotWriter(stream, Magic);
        writer.WriteInt32(FormatVersion);
        writer.WriteUInt64(LayoutFingerprint(plan, options));
        writer.WriteInt32(shards.Length);
        writer.WriteInt64(counters.Accepted);
        writer.WriteInt64(counters.Duplicates);
        writer.WriteInt64(counters.Late);
        writer.WriteInt64(counters.FutureTimestamps);
        writer.WriteInt64(counters.LogSequence);
        gate.WriteTo(writer);
        foreach (var shard in shards)
            shard.WriteTo(writer);
        writer.Complete();
    }

    /// <summary>
    /// Reads a snapshot for the given engine parts, which have taken nothing yet: the ids go into the gate's table, the
    /// rest is held until <see cref="RestoreInto"/>. Null, with nothing changed, when it was written for another layout.
    /// </summary>
    public static EngineSnapshot? Read(Stream stream, FeaturePlan plan, EngineOptions options, AdmissionGate gate,
        FeatureShard[] shards)
    {
        using var reader = new SnapshotReader(stream, Magic);
        if (reader.ReadInt32() != FormatVersion || reader.ReadUInt64() != LayoutFingerprint(plan, options)
            || reader.ReadInt32() != shards.Length)
        {
            return null;
        }

        var counters = new EngineCounters(reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64());
        try
        {
            var gateWatermark = gate.ReadFrom(reader);
            var shardWatermarks = new long[shards.Length];
            var tables = new EntityTable[shards.Length][];
            for (var i = 0; i < shards.Length; i++)
                tables[i] = shards[i].ReadTables(reader, out shardWatermarks[i]);
            reader.ReadEnd();
            return new EngineSnapshot(counters, gateWatermark, shardWatermarks, tables);
        }
        catch
        {
            gate.ForgetIds();
            throw;
        }
    }

    /// <summary>Installs the state read into the engine parts it was read for.</summary>
    public void RestoreInto(AdmissionGate gate, FeatureShard[] shards)
    {
        for (var i = 0; i < shards.Length; i++)
            shards[i].Restore(_shardWatermarks[i], _tables[i]);
        gate.Restore(_gateWatermark);
    }

    /// <summary>
    /// A stable hash of everything that decides what the state holds and where: per entity type its name, join key,
    /// distinct fields, tile families and retention spans; the time zone (events carry local hours); the options that
    /// decide retention, lateness, sharding, the entity types kept and, of accounts with inflows, the direction kept; and the sizes of the structs copied as bytes. Features that only read
    /// the stored state differently (an exact window within the retained span, a derived feature) leave it unchanged,
    /// so editing them keeps snapshots usable.
    /// </summary>
    public static ulong LayoutFingerprint(FeaturePlan plan, EngineOptions options)
    {
        var hash = new XxHash64();
        Add(hash, plan.TimeZone.Id);
        Add(hash, options.ShardCount);
        Add(hash, options.DedupRetentionMs);
        Add(hash, options.QueryHistoryMs);
        Add(hash, options.AllowedLatenessMs);
        foreach (var entity in plan.Entities)
            Add(hash, options.Keeps(entity.Name) ? 1 : 0);
        // Only where it changes what is kept, so that snapshots of engines without accounts with inflows keep theirs.
        if (options.KeptDirection != EdgeDirection.Both && plan.Entities.Any(e => e.Definition.Inflows && options.Keeps(e.Name)))
            Add(hash, "kept " + EdgeDirections.Name(options.KeptDirection));
        Add(hash, Unsafe.SizeOf<CompactEvent>());
        Add(hash, Unsafe.SizeOf<WindowAggregate>());
        AddEntityLayouts(hash, plan);
        return hash.GetCurrentHashAsUInt64();
    }

    /// <summary>
    /// Adds what decides the layout of every entity type's state: per entity its name, join key, distinct fields, tile
    /// families and retention spans. Shared with <see cref="EntityStateFormat"/>, whose bytes hold one entity's state.
    /// </summary>
    internal static void AddEntityLayouts(XxHash64 hash, FeaturePlan plan)
    {
        Add(hash, plan.Entities.Count);
        foreach (var entity in plan.Entities)
        {
            Add(hash, entity.Name);
            Add(hash, (long)entity.JoinKey);
            if (entity.Definition.Inflows)
                Add(hash, "inflows"); // absent before accounts had inflows, so older snapshots keep their fingerprint
            if (entity.GraphAggregates.Length > 0)
                Add(hash, "transfers"); // graph searches read the transfer bit of events, which older snapshots lack
            if (entity.ReadsNeighbours)
                Add(hash, "neighbours"); // online stores key such states by the fingerprint of the id (OnlineStoreKey)
            Add(hash, entity.DistinctFields.Length);
            foreach (var field in entity.DistinctFields)
                Add(hash, (long)field);
            Add(hash, entity.Tiles.Length);
            foreach (var family in entity.Tiles)
            {
                Add(hash, family.HopMs);
                Add(hash, family.Filter);
            }

            Add(hash, entity.LongestRawSpanMs);
            Add(hash, entity.LongestTiledWindowMs);
            if (entity.SeenFamilies.Length == 0)
                continue; // absent before first_seen existed, so older snapshots keep their fingerprint
            Add(hash, "seen");
            Add(hash, entity.SeenFamilies.Length);
            foreach (var family in entity.SeenFamilies)
            {
                Add(hash, family.Field);
                Add(hash, family.WindowMs);
                Add(hash, family.Filter);
            }
        }
    }

    /// <summary>Adds a filter's conditions and, when it is not the default of outflows, its direction.</summary>
    private static void Add(XxHash64 hash, FeatureFilter filter)
    {
        Add(hash, (long)filter.Kind);
        Add(hash, filter.FromHour);
        Add(hash, filter.ToHour);
        Add(hash, filter.MinCents);
        Add(hash, filter.MaxCents);
        if (filter.Direction != EdgeDirection.Outflow)
            Add(hash, (long)filter.Direction); // absent before directions existed, so older snapshots keep their fingerprint
    }

    internal static void Add(XxHash64 hash, long value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        hash.Append(bytes);
    }

    internal static void Add(XxHash64 hash, string value)
    {
        Add(hash, value.Length);
        hash.Append(MemoryMarshal.AsBytes(value.AsSpan()));
    }
}
