namespace Amlfs.Alerts.Rules;

/// <summary>
/// How a channel retries: at most <see cref="Attempts"/> attempts per alert, the k-th retry after a delay drawn in
/// [d/2, d] where d = min(<see cref="MaxBackoff"/>, <see cref="Backoff"/> × 2^(k-1)) (exponential back-off with jitter,
/// so that retries of many alerts do not arrive together).
/// </summary>
public sealed record RetryPolicy
{
    public int Attempts { get; init; } = 6;

    public TimeSpan Backoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The delay before retry number <paramref name="retry"/> (1 for the first), jittered by <paramref name="random"/>.</summary>
    public TimeSpan Delay(int retry, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var shift = Math.Min(Math.Max(retry - 1, 0), 30);
        var full = Math.Min(MaxBackoff.Ticks, Backoff.Ticks * (1L << shift));
        if (full < 0)
            full = MaxBackoff.Ticks;
        return TimeSpan.FromTicks(full / 2 + (long)(random.NextDouble() * (full - full / 2)));
    }
}
