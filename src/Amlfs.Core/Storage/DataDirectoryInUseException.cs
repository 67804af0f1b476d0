namespace Amlfs.Storage;

/// <summary>A data directory's stores are held by another amlfs process (see <see cref="DataDirectoryLock"/>).</summary>
public sealed class DataDirectoryInUseException : IOException
{
    public DataDirectoryInUseException()
    {
    }

    public DataDirectoryInUseException(string message)
        : base(message)
    {
    }

    public DataDirectoryInUseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Names the directory and says how to free it.</summary>
    public DataDirectoryInUseException(string directory, IOException innerException)
        : base($"the data directory {directory} is in use by another amlfs process (a running server, materialize or another store); stop it first", innerException)
    {
        Directory = directory;
    }

    /// <summary>The data directory, when known.</summary>
    public string? Directory { get; }
}
