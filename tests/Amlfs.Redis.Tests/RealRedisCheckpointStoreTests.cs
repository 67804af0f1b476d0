using Amlfs.Checkpoints;

namespace Amlfs.Redis.Tests;

/// <summary>The checkpoint store contract for <see cref="RedisCheckpointStore"/> against a real redis-server, when one is configured.</summary>
[RealRedisServer]
public sealed class RealRedisCheckpointStoreTests : CheckpointStoreContract, IAsyncLifetime
{
    private RedisCheckpointStore? _store;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_store is not null)
            await _store.DisposeAsync();
    }

    protected override async Task<IPartitionCheckpointStore> OpenAsync() =>
        _store ??= await RedisCheckpointStore.ConnectAsync(
            RealRedisServerAttribute.Options() ?? throw new InvalidOperationException(RealRedisServerAttribute.SkipReason));
}
