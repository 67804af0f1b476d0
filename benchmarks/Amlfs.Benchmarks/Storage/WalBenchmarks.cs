using Amlfs.Benchmarks.Engine;
using Amlfs.Storage;
using Amlfs.Transactions;
using BenchmarkDotNet.Attributes;

namespace Amlfs.Benchmarks.Storage;

/// <summary>
/// The write-ahead log on the machine's temp directory: append and commit of one batch (the host's writer loop) under
/// each flush policy; one operation = one batch, so records/s = BatchSize * 1e9 / Mean(ns). Records carry realistic
/// fields (about 130 bytes each). Old segments are deleted as the log grows, as retention would, so the disk stays
/// bounded. Reading the log back is <see cref="WalReplayBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
public class WalBenchmarks
{
    private Transaction[] _transactions = [];
    private string _directory = "";
    private WriteAheadLog _wal = null!;
    private int _next;

    [Params(1, 64, 1024)]
    public int BatchSize { get; set; }

    [Params(WalFlushPolicy.Always, WalFlushPolicy.Interval, WalFlushPolicy.None)]
    public WalFlushPolicy Policy { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _transactions = Records(16_384);
        _directory = NewDirectory();
        _wal = WriteAheadLog.Open(_directory, new WalOptions { FlushPolicy = Policy });
    }

    [Benchmark]
    public long AppendCommit()
    {
        for (var i = 0; i < BatchSize; i++)
        {
            _wal.Append(_transactions[_next]);
            _next = (_next + 1) & (_transactions.Length - 1);
        }

        _wal.Commit();
        if (_wal.SegmentCount > 2)
            _wal.DeleteSegmentsBefore(_wal.LastSequence);
        return _wal.LastSequence;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _wal.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    internal static string NewDirectory() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "amlfs-bench-wal-" + Guid.NewGuid().ToString("N"))).FullName;

    internal static Transaction[] Records(int count) => BenchmarkStream
        .Create(count, 10_000, 1_000, BenchmarkStream.Start, 36, 7, "WAL_")
        .Select((t, i) => t with { Channel = "pix", Country = "BR", DeviceId = $"DEV_{i % 20_000:D6}", PaymentFormat = "instant" })
        .ToArray();
}
