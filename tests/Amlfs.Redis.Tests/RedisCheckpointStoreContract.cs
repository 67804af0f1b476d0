using Amlfs.Checkpoints;

using Amlfs.Testing.Contracts;

namespace Amlfs.Redis.Tests;

/// <summary>The checkpoint store contract for <see cref="RedisCheckpointStore"/> against the server of <see cref="Options"/>.</summary>
public abstract class RedisCheckpointStoreContract : CheckpointStoreContract, IAsyncLifetime
{
    private RedisCheckpointStore? _store;

    protected abstract RedisOnlineStoreOptions Options { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_store is not null)
            await _store.DisposeAsync();
    }

    protected override async Task<IPartitionCheckpointStore> OpenAsync() => _store ??= await RedisCheckpointStore.ConnectAsync(Options);

    /// <inheritdoc />
    protected override int LargestSingleValue => RedisCheckpointStore.ChunkBytes;
}
