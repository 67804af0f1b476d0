using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Storage;
using BenchmarkDotNet.Attributes;

namespace Amlfs.Benchmarks.Storage;

/// <summary>
/// Recovery's speed over a log of 200,000 records: reading and decoding the log alone, and a whole recovery (open the
/// store, replay every record through a fresh threaded engine of the default features, flush). One operation = one
/// record, so records/s = 1e9 / Mean(ns).
/// </summary>
[MemoryDiagnoser]
public class WalReplayBenchmarks
{
    private const int Records = 200_000;
    private readonly RegistryDefinition _definition = DefinitionsLoader.LoadDefault();
    private string _directory = "";

    [GlobalSetup]
    public void Setup()
    {
        _directory = WalBenchmarks.NewDirectory();
        using var wal = WriteAheadLog.Open(Path.Combine(_directory, "wal"), new WalOptions { FlushPolicy = WalFlushPolicy.None });
        foreach (var transaction in WalBenchmarks.Records(Records))
            wal.Append(transaction);
        wal.Commit();
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long ReadLog()
    {
        using var wal = WriteAheadLog.Open(Path.Combine(_directory, "wal"), new WalOptions { FlushPolicy = WalFlushPolicy.None });
        long sum = 0;
        foreach (var record in wal.ReadFrom(0))
            sum += record.Transaction.AmountCents;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long RecoverEngine()
    {
        var options = EngineOptions.From(_definition) with { ShardCount = 2, ExpectedTransactions = Records };
        using var engine = new FeatureEngine(FeaturePlan.Compile(_definition), options);
        using var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = _directory, FlushPolicy = WalFlushPolicy.None },
            engine, TimeProvider.System);
        return store.Recovery.RecordsReplayed;
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);
}
