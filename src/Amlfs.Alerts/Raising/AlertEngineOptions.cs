using System.Globalization;
using Amlfs.Storage;

namespace Amlfs.Alerts.Raising;

/// <summary>Settings of an <see cref="AlertEngine"/>, built once; <see cref="Validate"/> before use (the engine does).</summary>
public sealed record AlertEngineOptions
{
    /// <summary>The data directory; the engine keeps its outbox in <c>alerts/</c> inside it.</summary>
    public string DataDirectory { get; init; } = RegistryStore.DefaultDataDirectory;

    /// <summary>
    /// How long a raised alert's dedupe key is remembered (and the alert kept in the outbox once delivered): a key
    /// seen again within it is not raised again, across restarts too.
    /// </summary>
    public TimeSpan DedupeRetention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How many alerts the recent-alerts store holds for queries.</summary>
    public int RecentCapacity { get; init; } = 10_000;

    /// <summary>
    /// How late, in event time, a decision may arrive behind the newest one seen: the registry's allowed lateness.
    /// <c>high_decisions_per_entity</c> keeps a HIGH decision's time this long past its window, so a late one is counted exactly.
    /// </summary>
    public TimeSpan AllowedLateness { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Whether a background task delivers alerts as they are raised and retries them when due. Without it the host
    /// (or a test) calls <see cref="AlertEngine.DeliverDueAsync"/> itself.
    /// </summary>
    public bool DeliverInBackground { get; init; } = true;

    /// <summary>Every problem with these options, each naming the option; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(DataDirectory))
            errors.Add("DataDirectory must name a directory");
        if (DedupeRetention <= TimeSpan.Zero)
            errors.Add(Describe(nameof(DedupeRetention), "must be positive", DedupeRetention));
        if (RecentCapacity < 1)
            errors.Add(Describe(nameof(RecentCapacity), "must be at least 1", RecentCapacity));
        if (AllowedLateness < TimeSpan.Zero)
            errors.Add(Describe(nameof(AllowedLateness), "must not be negative", AllowedLateness));
        return errors;
    }

    private static string Describe(string name, string rule, object value) =>
        string.Create(CultureInfo.InvariantCulture, $"{name} {rule} (got {value})");
}
