using Amlfs.OfflineStore;

namespace Amlfs.Cli.Training;

/// <summary>What <c>amlfs train</c> was asked for (see <see cref="ModelTraining"/>).</summary>
internal sealed record ModelTrainingOptions
{
    /// <summary>Start of the training period (inclusive); null: the store's first day.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>End of the test period (exclusive) and the training cut-off; null: the day after the store's last.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Days of validation (fractions allowed: 0.25 is six hours).</summary>
    public double ValidationDays { get; init; } = 1;

    /// <summary>Days of test at the end of the window (fractions allowed).</summary>
    public double TestDays { get; init; } = 1;

    public int Trials { get; init; } = 1;

    public int Seed { get; init; } = 42;

    public int MaxRounds { get; init; } = 500;

    public int EarlyStoppingRounds { get; init; } = 50;

    /// <summary>Share of transactions that may be HIGH, on validation.</summary>
    public double HighAlertRate { get; init; } = 0.01;

    /// <summary>Share of transactions that may be MEDIUM or HIGH, on validation.</summary>
    public double MediumAlertRate { get; init; } = 0.05;

    /// <summary>
    /// platt (the default: strictly monotone, so the alert budgets can be met to the row) or isotonic (steps: a step
    /// holding more rows than a budget allows cannot be split, and that level then stays empty).
    /// </summary>
    public string Calibration { get; init; } = "platt";

    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Label rows from a labels file, beside the store's own.</summary>
    public IReadOnlyList<LabelRecord> ExtraLabels { get; init; } = [];

    /// <summary>The labels file's name, recorded as a data source.</summary>
    public string? LabelsFile { get; init; }
}
