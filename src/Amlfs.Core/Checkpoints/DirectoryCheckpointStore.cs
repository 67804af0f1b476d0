using System.Globalization;
using Amlfs.Storage;

namespace Amlfs.Checkpoints;

/// <summary>
/// Checkpoints as files, <c>DIR/{group}/{topic}/{partition}.checkpoint</c>, each written to a temporary name, flushed
/// to disk and renamed over the previous one, so that a crash leaves the old checkpoint or the new one. For one
/// machine, or several that share the directory.
/// </summary>
public sealed class DirectoryCheckpointStore(string directory) : IPartitionCheckpointStore
{
    private readonly string _directory = Path.GetFullPath(directory ?? throw new ArgumentNullException(nameof(directory)));

    /// <inheritdoc />
    public string Location => _directory;

    /// <inheritdoc />
    public async Task SaveAsync(string group, PartitionCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var path = PathOf(group, checkpoint.Topic, checkpoint.Partition);
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        var temporary = path + ".tmp";
        await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            await file.WriteAsync(checkpoint.ToBytes(), cancellationToken).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        DirectorySync.Flush(folder);
    }

    /// <inheritdoc />
    public async Task<PartitionCheckpoint?> LoadAsync(string group, string topic, int partition, CancellationToken cancellationToken = default)
    {
        var path = PathOf(group, topic, partition);
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        var checkpoint = PartitionCheckpoint.FromBytes(bytes);
        if (checkpoint.Topic != topic || checkpoint.Partition != partition)
            throw new InvalidDataException($"{path} holds the checkpoint of {checkpoint.Topic} partition {checkpoint.Partition}, not of {topic} partition {partition}");
        return checkpoint;
    }

    private string PathOf(string group, string topic, int partition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(group);
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        // Kafka group and topic names are [a-zA-Z0-9._-]; anything else would escape the directory.
        foreach (var name in (ReadOnlySpan<string>)[group, topic])
        {
            if (name is "." or ".." || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
                throw new ArgumentException($"'{name}' is not a valid Kafka group or topic name (letters, digits, '.', '_', '-')");
        }

        return Path.Combine(_directory, group, topic, partition.ToString(CultureInfo.InvariantCulture) + ".checkpoint");
    }
}
