using System.Globalization;
using Amlfs.Checkpoints;
using Amlfs.OnlineStore;
using StackExchange.Redis;

namespace Amlfs.Redis;

/// <summary>
/// Partition checkpoints in Redis, next to the online store: one hash per partition,
/// <c>amlfs:checkpoint:{group}:{topic}:{partition}</c>, whose field <c>chunks</c> says how many of the fields
/// <c>0</c>, <c>1</c>, ... hold the checkpoint's bytes in order. The checkpoint is cut into chunks of at most
/// <see cref="ChunkBytes"/> so that no single value nears a server's value limit. A save is one <c>HSET</c> of every
/// field and a load one <c>HGETALL</c>: each is atomic, so a reader never sees two checkpoints mixed. Chunks of a
/// larger, older checkpoint left beyond <c>chunks</c> are ignored, and removed by the save after.
/// </summary>
public sealed class RedisCheckpointStore : IPartitionCheckpointStore, IAsyncDisposable
{
    /// <summary>The largest chunk of a checkpoint stored as one hash field.</summary>
    public const int ChunkBytes = 4 << 20;

    private const string ChunksField = "chunks";
    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _database;
    private readonly string _endpoint;

    private RedisCheckpointStore(ConnectionMultiplexer connection, string endpoint)
    {
        _connection = connection;
        _database = connection.GetDatabase();
        _endpoint = endpoint;
    }

    /// <inheritdoc />
    public string Location => $"redis {_endpoint}";

    /// <summary>Connects; throws <see cref="OnlineStoreUnavailableException"/> when the server cannot be reached.</summary>
    public static async Task<RedisCheckpointStore> ConnectAsync(RedisOnlineStoreOptions options, CancellationToken cancellationToken = default)
    {
        var connection = await RedisConnection.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        return new RedisCheckpointStore(connection, options.Endpoint);
    }

    /// <summary>The hash that holds the checkpoint of a partition.</summary>
    public static string KeyOf(string group, string topic, int partition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(group);
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        return string.Create(CultureInfo.InvariantCulture, $"{OnlineStoreKey.Prefix}checkpoint:{group}:{topic}:{partition}");
    }

    /// <inheritdoc />
    public async Task SaveAsync(string group, PartitionCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        cancellationToken.ThrowIfCancellationRequested();
        var key = KeyOf(group, checkpoint.Topic, checkpoint.Partition);
        var bytes = checkpoint.ToBytes();
        var count = (bytes.Length + ChunkBytes - 1) / ChunkBytes;
        var fields = new HashEntry[count + 1];
        fields[0] = new HashEntry(ChunksField, count);
        for (var i = 0; i < count; i++)
        {
            var start = i * ChunkBytes;
            fields[i + 1] = new HashEntry(i, bytes.AsMemory(start, Math.Min(ChunkBytes, bytes.Length - start)));
        }

        var previous = await Guard(_database.HashGetAsync(key, ChunksField)).ConfigureAwait(false);
        await Guard(_database.HashSetAsync(key, fields)).ConfigureAwait(false);
        if (previous.TryParse(out int old) && old > count)
        {
            var stale = Enumerable.Range(count, old - count).Select(i => (RedisValue)i).ToArray();
            await Guard(_database.HashDeleteAsync(key, stale)).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<PartitionCheckpoint?> LoadAsync(string group, string topic, int partition, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = KeyOf(group, topic, partition);
        var entries = await Guard(_database.HashGetAllAsync(key)).ConfigureAwait(false);
        if (entries.Length == 0)
            return null;
        var fields = entries.ToDictionary(e => (string)e.Name!, e => e.Value, StringComparer.Ordinal);
        if (!fields.TryGetValue(ChunksField, out var countValue) || !countValue.TryParse(out int count) || count < 1)
            throw new InvalidDataException($"the checkpoint {key} at {_endpoint} has no valid '{ChunksField}' field");
        var chunks = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            if (!fields.TryGetValue(i.ToString(CultureInfo.InvariantCulture), out var chunk) || chunk.IsNull)
                throw new InvalidDataException($"the checkpoint {key} at {_endpoint} lacks chunk {i} of {count}");
            chunks[i] = (byte[])chunk!;
        }

        var checkpoint = PartitionCheckpoint.FromBytes(chunks.Length == 1 ? chunks[0] : [.. chunks.SelectMany(c => c)]);
        if (checkpoint.Topic != topic || checkpoint.Partition != partition)
            throw new InvalidDataException($"the checkpoint {key} at {_endpoint} holds {checkpoint.Topic} partition {checkpoint.Partition}");
        return checkpoint;
    }

    public ValueTask DisposeAsync() => new(_connection.CloseAsync());

    private Task Guard(Task task) => RedisConnection.Guard(task, _endpoint);

    private Task<T> Guard<T>(Task<T> task) => RedisConnection.Guard(task, _endpoint);
}
