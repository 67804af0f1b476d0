using Amlfs.Engine;
using Amlfs.Storage;
using Amlfs.Testing;
using Amlfs.Transactions;

namespace Amlfs.Cli.Tests;

/// <summary>
/// The registry's acceptance test: a user adds <c>peak_hours_txn_count_1h</c> by editing the definitions file and
/// running <c>amlfs apply</c>, with no code change, and the engine computes it.
/// </summary>
public sealed class PeakHoursFeatureTests : IDisposable
{
    private const string Feature = "peak_hours_txn_count_1h";

    // America/Sao_Paulo has kept UTC-3 all year since 2019.
    private static readonly TimeSpan SaoPaulo = TimeSpan.FromHours(-3);

    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Adding_peak_hours_txn_count_1h_is_a_file_edit_and_an_apply()
    {
        _cli.Write("features.yaml", DefinitionTexts.WithCustomerFeature(DefinitionTexts.PeakHoursFeature));

        var apply = _cli.Run("apply");
        var list = _cli.Run("features", "list", "--entity", "customer");

        Assert.Equal((0, ""), (apply.ExitCode, apply.Error));
        Assert.Contains($"  + feature {Feature} (customer): count [local_hours 09-17] over 1h", apply.OutputLines);
        Assert.Contains($"Applied registry version 1 ({DefinitionTexts.DefaultFeatureCount + 1} features)", apply.OutputLines);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(list.OutputLines, l => l.StartsWith($"| {Feature} ", StringComparison.Ordinal)
            && l.Contains("| count [local_hours 09-17] ", StringComparison.Ordinal) && l.Contains("| 1h ", StringComparison.Ordinal));

        var definition = new RegistryStore(_cli.PathOf("data")).Active.Definition;
        var plan = FeaturePlan.Compile(definition);
        using var engine = new FeatureEngine(plan, EngineOptions.From(definition) with { Threaded = false, ShardCount = 1 });
        var customer = plan.Entity("customer")!;
        var peak = customer.IndexOf(Feature);
        var all = customer.IndexOf("txn_count_1h");
        Assert.Equal(SaoPaulo, plan.TimeZone.GetUtcOffset(Local(9, 0).UtcDateTime));

        // Morning: 08:45 is before the peak hours, 09:00 and 09:15 are in them.
        Ingest(engine, Local(8, 45), Local(9, 0), Local(9, 15));
        Assert.Equal((2, 3), Read(engine, customer, Local(9, 30), peak, all));

        // Afternoon: hours 09-17 end at 17:00, so 17:00 and 17:10 are outside them.
        Ingest(engine, Local(16, 5), Local(16, 20), Local(16, 40), Local(16, 59), Local(17, 0), Local(17, 10));
        Assert.Equal((3, 3), Read(engine, customer, Local(16, 59), peak, all)); // [15:59, 16:59): 16:59 itself is not counted
        Assert.Equal((2, 4), Read(engine, customer, Local(17, 30), peak, all)); // [16:30, 17:30): 16:40, 16:59 of 4 events
        Assert.Equal((0, 0), Read(engine, customer, Local(18, 30), peak, all));
    }

    private static DateTimeOffset Local(int hour, int minute) => new(2025, 3, 14, hour, minute, 0, SaoPaulo);

    private static void Ingest(FeatureEngine engine, params DateTimeOffset[] times)
    {
        foreach (var time in times)
        {
            var status = engine.Ingest(new Transaction
            {
                TransactionId = $"T_{time.ToUnixTimeMilliseconds()}",
                CustomerId = "CUST_1",
                MerchantId = "MERCH_1",
                AmountCents = 10_000,
                TimestampMs = time.ToUnixTimeMilliseconds(),
            });
            Assert.Equal(IngestStatus.Accepted, status);
        }
    }

    private static (double Peak, double All) Read(FeatureEngine engine, EntityPlan customer, DateTimeOffset asOf, int peak, int all)
    {
        Span<double> features = stackalloc double[customer.Features.Count];
        engine.Read(customer, "CUST_1", asOf.ToUnixTimeMilliseconds(), features);
        return (features[peak], features[all]);
    }
}
