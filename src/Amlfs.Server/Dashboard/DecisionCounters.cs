using Amlfs.Decisions;
using Amlfs.Scoring;

namespace Amlfs.Server.Dashboard;

/// <summary>
/// Counts the decisions the feed publishes, per risk level, and the oldest a transaction was when it was decided since
/// the last read: the sampler's view of the decision stream. Called on the stream's task with each batch, so it only
/// adds.
/// </summary>
internal sealed class DecisionCounters
{
    private readonly long[] _levels = new long[Enum.GetValues<RiskLevel>().Length];
    private long _oldestAgeMs = -1;

    public void Add(IReadOnlyList<Decision> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        long low = 0, medium = 0, high = 0, oldest = -1;
        foreach (var decision in batch)
        {
            switch (decision.Level)
            {
                case RiskLevel.Low:
                    low++;
                    break;
                case RiskLevel.Medium:
                    medium++;
                    break;
                default:
                    high++;
                    break;
            }

            oldest = Math.Max(oldest, Math.Max(0, decision.DecidedAtMs - decision.EventTimeMs));
        }

        Interlocked.Add(ref _levels[(int)RiskLevel.Low], low);
        Interlocked.Add(ref _levels[(int)RiskLevel.Medium], medium);
        Interlocked.Add(ref _levels[(int)RiskLevel.High], high);
        long seen;
        do
        {
            seen = Volatile.Read(ref _oldestAgeMs);
            if (seen >= oldest)
                break;
        }
        while (Interlocked.CompareExchange(ref _oldestAgeMs, oldest, seen) != seen);
    }

    /// <summary>Decisions of <paramref name="level"/> so far.</summary>
    public long Count(RiskLevel level) => Volatile.Read(ref _levels[(int)level]);

    /// <summary>The oldest age (ms) of a transaction decided since the last call, or null when none was; resets it.</summary>
    public long? TakeOldestAgeMs()
    {
        var age = Interlocked.Exchange(ref _oldestAgeMs, -1);
        return age < 0 ? null : age;
    }
}
