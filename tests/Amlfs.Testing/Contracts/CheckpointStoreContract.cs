using Amlfs.Checkpoints;
using Xunit;

namespace Amlfs.Testing.Contracts;

/// <summary>
/// The behaviour every <see cref="IPartitionCheckpointStore"/> has, one suite that each implementation's tests inherit
/// (the directory store's in the core's tests, Redis's in the Redis tests). Every test uses a consumer group of its
/// own, so tests sharing one server never see each other's checkpoints.
/// </summary>
public abstract class CheckpointStoreContract
{
    private readonly string _group = "g-" + Guid.NewGuid().ToString("N")[..12];

    protected abstract Task<IPartitionCheckpointStore> OpenAsync();

    /// <summary>
    /// The largest value the store keeps in one piece (a Redis store cuts checkpoints into chunks of this size); the
    /// large-checkpoint test writes more than twice as much.
    /// </summary>
    protected virtual int LargestSingleValue => 4 << 20;

    private static byte[] State(int length, int seed) => Enumerable.Range(0, length).Select(i => (byte)((i * 131) ^ seed)).ToArray();

    [ContractFact]
    public async Task A_partition_without_a_checkpoint_loads_as_null()
    {
        var store = await OpenAsync();

        Assert.Null(await store.LoadAsync(_group, "transactions", 3));
    }

    [ContractFact]
    public async Task A_saved_checkpoint_loads_back_whole()
    {
        var store = await OpenAsync();
        var saved = new PartitionCheckpoint("transactions", 2, 12_345, State(70_000, 1));
        await store.SaveAsync(_group, saved);

        var loaded = await store.LoadAsync(_group, "transactions", 2);

        Assert.NotNull(loaded);
        Assert.Equal((saved.Topic, saved.Partition, saved.NextOffset), (loaded.Topic, loaded.Partition, loaded.NextOffset));
        Assert.Equal(saved.State, loaded.State);
    }

    [ContractFact]
    public async Task A_save_replaces_the_previous_checkpoint_of_the_partition()
    {
        var store = await OpenAsync();
        await store.SaveAsync(_group, new PartitionCheckpoint("transactions", 0, 10, State(1000, 1)));
        await store.SaveAsync(_group, new PartitionCheckpoint("transactions", 0, 20, State(500, 2)));

        var loaded = await store.LoadAsync(_group, "transactions", 0);

        Assert.Equal(20, loaded!.NextOffset);
        Assert.Equal(State(500, 2), loaded.State);
    }

    [ContractFact]
    public async Task A_checkpoint_larger_than_any_single_value_limit_round_trips_and_a_smaller_one_replaces_it()
    {
        var store = await OpenAsync();
        var large = new PartitionCheckpoint("transactions", 1, 99, State((2 * LargestSingleValue) + 12_345, 3));
        await store.SaveAsync(_group, large);
        Assert.Equal(large.State, (await store.LoadAsync(_group, "transactions", 1))!.State);

        await store.SaveAsync(_group, new PartitionCheckpoint("transactions", 1, 100, State(10, 4)));

        var loaded = await store.LoadAsync(_group, "transactions", 1);
        Assert.Equal(100, loaded!.NextOffset);
        Assert.Equal(State(10, 4), loaded.State);
    }

    [ContractFact]
    public async Task Groups_topics_and_partitions_keep_checkpoints_of_their_own()
    {
        var store = await OpenAsync();
        await store.SaveAsync(_group, new PartitionCheckpoint("transactions", 0, 1, State(10, 1)));
        await store.SaveAsync(_group, new PartitionCheckpoint("transactions.by-merchant", 0, 2, State(10, 2)));
        await store.SaveAsync(_group + "x", new PartitionCheckpoint("transactions", 0, 3, State(10, 3)));

        Assert.Equal(1, (await store.LoadAsync(_group, "transactions", 0))!.NextOffset);
        Assert.Equal(2, (await store.LoadAsync(_group, "transactions.by-merchant", 0))!.NextOffset);
        Assert.Equal(3, (await store.LoadAsync(_group + "x", "transactions", 0))!.NextOffset);
        Assert.Null(await store.LoadAsync(_group, "transactions", 1));
    }
}
