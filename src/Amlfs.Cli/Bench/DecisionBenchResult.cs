namespace Amlfs.Cli.Bench;

/// <summary>What <c>amlfs bench decisions</c> measured.</summary>
/// <param name="Transactions">Transactions posted while the clock ran.</param>
/// <param name="Accepted">Of those, transactions the server accepted (each run).</param>
/// <param name="SecondsOff">Wall time to ingest them with streaming decisions off.</param>
/// <param name="SecondsOn">Wall time to ingest them and log every decision, with streaming decisions on.</param>
/// <param name="Decided">Decisions taken in the run with decisions on.</param>
/// <param name="High">Of those, HIGH decisions (the ones explained).</param>
/// <param name="ModelVersion">The model that decided.</param>
/// <param name="CollectionsOff">Garbage collections during the run with decisions off.</param>
/// <param name="CollectionsOn">Garbage collections during the run with decisions on.</param>
internal sealed record DecisionBenchResult(
    long Transactions, long Accepted, double SecondsOff, double SecondsOn, long Decided, long High, string ModelVersion,
    GcCollections CollectionsOff, GcCollections CollectionsOn)
{
    /// <summary>Transactions posted (and decided) before the clock started, each run.</summary>
    public long WarmupTransactions { get; init; }

    public double IngestPerSecondOff => Accepted / SecondsOff;

    public double ScoredPerSecondOn => Decided / SecondsOn;
}

/// <summary>Garbage collections of each generation, the time they paused the process and the bytes allocated, counted over a run.</summary>
internal readonly record struct GcCollections(int Gen0, int Gen1, int Gen2, TimeSpan Paused, long Allocated)
{
    public static GcCollections Now() =>
        new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());

    public static GcCollections operator -(GcCollections end, GcCollections start) =>
        new(end.Gen0 - start.Gen0, end.Gen1 - start.Gen1, end.Gen2 - start.Gen2, end.Paused - start.Paused, end.Allocated - start.Allocated);

    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{Gen0:N0} / {Gen1:N0} / {Gen2:N0}, paused {Paused.TotalMilliseconds:N0} ms, {Allocated / 1048576.0:N0} MB allocated");
}
