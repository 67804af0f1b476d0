namespace Amlfs.Parquet.Import;

/// <summary>How an AMLSim run, which has day steps and bare values, is placed on the calendar and priced.</summary>
public sealed record AmlsimOptions
{
    /// <summary>
    /// The UTC day of the run's first step (time 1 of a sample run, step 0 of tx_log.csv); a Monday, like the synthetic
    /// generator's default start. Rows that carry a date (AMLSim's converted transactions.csv) keep it.
    /// </summary>
    public DateOnly Start { get; init; } = new(2026, 1, 5);

    /// <summary>The ISO 4217 code of every value; AMLSim's values carry none.</summary>
    public string Currency { get; init; } = "BRL";

    /// <summary>Starts after this are refused: the last steps of a long run would fall past the year 2500.</summary>
    public static readonly DateOnly LatestStart = new(2200, 1, 1);

    /// <summary>The problems of these options, each naming its option, or none.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Currency.Length != 3 || !Currency.All(char.IsAsciiLetter))
            problems.Add($"currency must be a three-letter ISO 4217 code, got '{Currency}'");
        if (Start >= LatestStart)
            problems.Add($"start must be before {LatestStart:yyyy-MM-dd}, got {Start:yyyy-MM-dd}");
        return problems;
    }
}
