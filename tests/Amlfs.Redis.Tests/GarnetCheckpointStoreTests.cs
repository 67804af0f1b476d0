using Amlfs.Checkpoints;
using Amlfs.Testing;

namespace Amlfs.Redis.Tests;

/// <summary>The checkpoint store contract for <see cref="RedisCheckpointStore"/> against an in-process Garnet server.</summary>
public sealed class GarnetCheckpointStoreTests(GarnetServerFixture garnet) : CheckpointStoreContract, IClassFixture<GarnetServerFixture>, IAsyncLifetime
{
    private RedisCheckpointStore? _store;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_store is not null)
            await _store.DisposeAsync();
    }

    protected override async Task<IPartitionCheckpointStore> OpenAsync() =>
        _store ??= await RedisCheckpointStore.ConnectAsync(new RedisOnlineStoreOptions { Host = garnet.Host, Port = garnet.Port });
}
