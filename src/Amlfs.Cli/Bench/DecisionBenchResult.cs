namespace Amlfs.Cli.Bench;

/// <summary>What <c>amlfs bench decisions</c> measured.</summary>
/// <param name="Transactions">Transactions posted.</param>
/// <param name="Accepted">Transactions the server accepted (each run).</param>
/// <param name="SecondsOff">Wall time to ingest them with streaming decisions off.</param>
/// <param name="SecondsOn">Wall time to ingest them and log every decision, with streaming decisions on.</param>
/// <param name="Decided">Decisions taken in the run with decisions on.</param>
/// <param name="High">Of those, HIGH decisions (the ones explained).</param>
/// <param name="ModelVersion">The model that decided.</param>
internal sealed record DecisionBenchResult(long Transactions, long Accepted, double SecondsOff, double SecondsOn, long Decided, long High, string ModelVersion)
{
    public double IngestPerSecondOff => Accepted / SecondsOff;

    public double ScoredPerSecondOn => Decided / SecondsOn;
}
