namespace Amlfs.Storage;

/// <summary>
/// An exclusive hold on a data directory's stores: the file <c>DATA/store.lock</c> kept open with
/// <see cref="FileShare.None"/> (an advisory <c>flock</c> on Linux and macOS, a sharing lock on Windows), so that one
/// process at a time opens the write-ahead log and the snapshots, rolls the log or backfills the online state. The
/// operating system releases it when the process dies, so a crash never leaves the directory locked.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    /// <summary>The lock file's name inside the data directory.</summary>
    public const string FileName = "store.lock";

    private readonly FileStream _file;

    private DataDirectoryLock(string directory, FileStream file)
    {
        Directory = directory;
        _file = file;
    }

    /// <summary>The data directory held, as a full path.</summary>
    public string Directory { get; }

    /// <summary>Takes the lock on <paramref name="dataDirectory"/>, creating the directory when needed.</summary>
    /// <exception cref="DataDirectoryInUseException">Another process (or another store in this one) holds it.</exception>
    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        var directory = Path.GetFullPath(dataDirectory);
        System.IO.Directory.CreateDirectory(directory);
        try
        {
            var file = new FileStream(Path.Combine(directory, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
            return new DataDirectoryLock(directory, file);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new DataDirectoryInUseException(directory, e);
        }
    }

    /// <summary>Releases the lock; the file stays (deleting it would race with the next holder).</summary>
    public void Dispose() => _file.Dispose();
}
