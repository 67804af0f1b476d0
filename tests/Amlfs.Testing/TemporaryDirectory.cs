namespace Amlfs.Parquet.Tests;

/// <summary>A fresh directory per test, deleted afterwards.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("amlfs-parquet-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
