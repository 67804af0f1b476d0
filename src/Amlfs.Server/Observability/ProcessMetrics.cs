using Prometheus;

namespace Amlfs.Server.Observability;

/// <summary>
/// The process and runtime figures every amlfs process exports (the server and each Kafka worker): prometheus-net's
/// own (<c>process_cpu_seconds_total</c>, <c>process_working_set_bytes</c>, virtual and private memory, open handles,
/// threads, start time, <c>dotnet_collection_count_total</c> per generation, <c>dotnet_total_memory_bytes</c>), and
/// what it lacks read from the runtime at each scrape: the thread pool, GC pause time and allocations, lock
/// contention. Nothing is recorded between scrapes.
/// </summary>
internal static class ProcessMetrics
{
    public static void Register(CollectorRegistry registry)
    {
        DotNetStats.Register(registry);
        var factory = Metrics.WithCustomRegistry(registry);
        var threads = factory.CreateGauge("dotnet_threadpool_threads", "Threads of the thread pool.");
        var queued = factory.CreateGauge("dotnet_threadpool_queue_length", "Work items queued for the thread pool and not started.");
        var completed = factory.CreateCounter("dotnet_threadpool_completed_items_total", "Work items the thread pool has completed.");
        var pause = factory.CreateCounter("dotnet_gc_pause_seconds_total", "Time the garbage collector has paused the process.");
        var allocated = factory.CreateCounter("dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap.");
        var contentions = factory.CreateCounter("dotnet_lock_contentions_total", "Times a thread waited for a lock another thread held.");
        registry.AddBeforeCollectCallback(() =>
        {
            threads.Set(ThreadPool.ThreadCount);
            queued.Set(ThreadPool.PendingWorkItemCount);
            completed.IncTo(ThreadPool.CompletedWorkItemCount);
            pause.IncTo(GC.GetTotalPauseDuration().TotalSeconds);
            allocated.IncTo(GC.GetTotalAllocatedBytes());
            contentions.IncTo(Monitor.LockContentionCount);
        });
    }
}
