using Amlfs.OnlineStore;

namespace Amlfs.Kafka.Workers;

/// <summary>
/// How a worker waits for a store while it takes partitions over (their checkpoints, its ownership epoch): an
/// unavailable store is tried again every half second, and after a minute the worker stops with
/// <see cref="WorkerFailedException"/> rather than guess (read a partition from its start, write without an epoch).
/// </summary>
internal static class StoreWait
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The result of <paramref name="attempt"/>, retried while it throws <see cref="OnlineStoreUnavailableException"/>
    /// or <see cref="IOException"/> (each failure given to <paramref name="retrying"/>); <paramref name="failure"/> says
    /// what could not be done, for the exception after a minute.
    /// </summary>
    public static T Retry<T>(Func<T> attempt, TimeProvider clock, string failure, Action<string> retrying)
    {
        var deadline = clock.GetUtcNow() + Patience;
        while (true)
        {
            try
            {
                return attempt();
            }
            catch (Exception e) when (e is OnlineStoreUnavailableException or IOException)
            {
                if (clock.GetUtcNow() >= deadline)
                    throw new WorkerFailedException($"{failure} for a minute: {e.Message}", e);
                retrying(e.Message);
                Thread.Sleep(RetryDelay);
            }
        }
    }
}
