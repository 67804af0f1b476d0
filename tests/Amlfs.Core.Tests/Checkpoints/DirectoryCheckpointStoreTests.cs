using Amlfs.Checkpoints;
using Amlfs.Testing;
using Amlfs.Testing.Contracts;

namespace Amlfs.Core.Tests.Checkpoints;

/// <summary>The checkpoint store contract for <see cref="DirectoryCheckpointStore"/>, plus what only files can get wrong.</summary>
public sealed class DirectoryCheckpointStoreTests : CheckpointStoreContract, IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    protected override Task<IPartitionCheckpointStore> OpenAsync() => Task.FromResult<IPartitionCheckpointStore>(new DirectoryCheckpointStore(_directory.Path));

    [Fact]
    public async Task A_corrupted_checkpoint_file_is_refused_not_restored()
    {
        var store = new DirectoryCheckpointStore(_directory.Path);
        await store.SaveAsync("g", new PartitionCheckpoint("transactions", 0, 5, new byte[4096]));
        var file = Directory.GetFiles(_directory.Path, "*.checkpoint", SearchOption.AllDirectories).Single();
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[bytes.Length / 2] ^= 0x40;
        await File.WriteAllBytesAsync(file, bytes);

        await Assert.ThrowsAsync<InvalidDataException>(() => store.LoadAsync("g", "transactions", 0));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("..")]
    public async Task A_group_that_is_not_a_kafka_name_is_refused(string group)
    {
        var store = new DirectoryCheckpointStore(_directory.Path);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.SaveAsync(group, new PartitionCheckpoint("transactions", 0, 1, [1])));

        Assert.Contains(group, error.Message, StringComparison.Ordinal);
    }
}
