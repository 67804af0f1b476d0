using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Amlfs.Scoring;
using Amlfs.Server.Api;
using Amlfs.Server.Contracts;
using Amlfs.Server.Hosting;
using Amlfs.Server.Observability;
using Amlfs.Server.Serving;
using Amlfs.Transactions;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Amlfs.Benchmarks.Serving;

/// <summary>
/// The work of one <c>POST /predict</c> that is ours rather than Kestrel's or the kernel's: parse the body, validate,
/// read the features and score, serialize the answer. Against an empty store, as <c>amlfs loadtest</c> runs against
/// a fresh server, so the feature reads are the cheapest they get.
/// </summary>
[MemoryDiagnoser]
public class PredictBenchmarks
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(
        """{"transaction_id":"TX_000000012345","customer_id":"CUST_000042","merchant_id":"MERCH_00017","amount":1234.56,"currency":"BRL","ip_address":"10.1.2.3","channel":"mobile","device_id":"DEV_00042","country":"BR","payment_format":"pix"}""");

    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private string _directory = null!;
    private readonly ServerMetrics _metrics = new();
    private AmlfsRuntime _runtime = null!;
    private TransactionScorer _scorer = null!;
    private Transaction _transaction = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("amlfs-bench-").FullName;
        _runtime = AmlfsRuntime.Start(new ServerSettings { DataDirectory = _directory, Port = 0 }, TimeProvider.System, _metrics, new ProducerStatus(), NullLoggerFactory.Instance);
        // An empty model registry: the rules score (the learned model's own cost is in Learning/TreeShapBenchmarks).
        var models = new ActiveRiskModel(_directory, [], TimeProvider.System, NullLogger.Instance);
        _scorer = new TransactionScorer(_runtime.Definitions, _runtime.Model, models, _runtime.Features, _metrics, _runtime.FeatureQuality, null, TimeProvider.System);
        _transaction = Validate(Parse()!);
    }

    [Benchmark]
    public bool ParseBody() => Parse() is not null;

    [Benchmark]
    public Transaction ParseAndValidate() => Validate(Parse()!);

    [Benchmark]
    public PredictResponse Score() => ScoreOnce(_transaction);

    [Benchmark]
    public int Serialize()
    {
        var response = ScoreOnce(_transaction);
        _output.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_output);
        JsonSerializer.Serialize(writer, response, AmlfsJsonContext.Default.PredictResponse);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int Whole()
    {
        var transaction = Validate(Parse()!);
        var response = ScoreOnce(transaction);
        _output.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_output);
        JsonSerializer.Serialize(writer, response, AmlfsJsonContext.Default.PredictResponse);
        return _output.WrittenCount;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _runtime.Dispose();
        _metrics.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Reads and scores as /predict does; the embedded source completes synchronously, so nothing waits here.</summary>
    private PredictResponse ScoreOnce(Transaction transaction) =>
        _scorer.ScoreAsync([transaction], ExplanationFormatter.English, Stopwatch.GetTimestamp(), CancellationToken.None).Result[0];

    private static BodyTransaction? Parse() => TransactionBody.Read(new ReadOnlySequence<byte>(Body), acceptRecord: true, out _, out _)?[0];

    private Transaction Validate(BodyTransaction request)
    {
        TransactionJsonReader.Validate(request.Input, request.Errors, out var transaction, TimeProvider.System.GetUtcNow());
        return transaction ?? throw new InvalidOperationException("the benchmark's transaction is invalid");
    }
}
