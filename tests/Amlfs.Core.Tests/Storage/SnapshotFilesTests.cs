using Amlfs.Storage;
using Amlfs.Testing;

namespace Amlfs.Core.Tests.Storage;

public sealed class SnapshotFilesTests
{
    [Fact]
    public void A_snapshot_gives_back_exactly_the_engine_bytes_it_wrapped()
    {
        using var dir = new TempDirectory();
        var files = new SnapshotFiles(dir.Path);
        var payload = Enumerable.Range(0, 3_000_000).Select(i => (byte)(i * 7)).ToArray();
        var file = files.Write(42, s => s.Write(payload));
        Assert.Equal("snapshot-00000000000000000042.bin", Path.GetFileName(file.Path));
        Assert.Equal(42, file.Sequence);

        Assert.True(SnapshotFiles.TryOpen(files.List().Single(), out var stream, out var problem), problem);
        using (stream)
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            Assert.Equal(payload, copy.ToArray());
        }
    }

    [Fact]
    public void Any_damaged_byte_fails_verification()
    {
        using var dir = new TempDirectory();
        var files = new SnapshotFiles(dir.Path);
        var file = files.Write(7, s => s.Write(new byte[1_000]));
        var good = File.ReadAllBytes(file.Path);
        foreach (var at in new[] { 0, 10, 16, 24, 500, good.Length - 16, good.Length - 1 })
        {
            var bad = good.ToArray();
            bad[at] ^= 0x04;
            File.WriteAllBytes(file.Path, bad);
            Assert.False(SnapshotFiles.TryOpen(file, out _, out var problem), $"byte {at}");
            Assert.False(string.IsNullOrEmpty(problem));
        }

        File.WriteAllBytes(file.Path, good[..^3]);
        Assert.False(SnapshotFiles.TryOpen(file, out _, out _));
        File.WriteAllBytes(file.Path, good);
        Assert.True(SnapshotFiles.TryOpen(file, out var stream, out _));
        stream.Dispose();
    }

    [Fact]
    public void Snapshots_are_listed_newest_first_and_pruning_keeps_the_newest()
    {
        using var dir = new TempDirectory();
        var files = new SnapshotFiles(dir.Path);
        foreach (var sequence in new long[] { 5, 1_000, 20, 300 })
            files.Write(sequence, s => s.WriteByte(1));
        File.WriteAllText(Path.Combine(dir.Path, "snapshot-notes.bin"), "not a snapshot");
        Assert.Equal([1_000L, 300, 20, 5], files.List().Select(f => f.Sequence));
        Assert.Equal(2, files.Prune(2));
        Assert.Equal([1_000L, 300], files.List().Select(f => f.Sequence));
    }

    [Fact]
    public void A_failed_write_leaves_no_file_and_temporary_files_from_a_crash_are_removed()
    {
        using var dir = new TempDirectory();
        var files = new SnapshotFiles(dir.Path);
        Assert.Throws<InvalidOperationException>(() => files.Write(9, _ => throw new InvalidOperationException("engine failed")));
        Assert.Empty(Directory.GetFiles(dir.Path));

        File.WriteAllText(Path.Combine(dir.Path, "snapshot-00000000000000000010.bin.tmp"), "half written");
        Assert.Empty(new SnapshotFiles(dir.Path).List());
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
