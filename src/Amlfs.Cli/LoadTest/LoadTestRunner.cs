using System.Net;
using System.Runtime.ExceptionServices;

namespace Amlfs.Cli.LoadTest;

/// <summary>
/// Runs a load test: a few <see cref="ConnectionWorker"/> threads (one per core by default), each driving its share of the connections
/// (one <see cref="RawHttpConnection"/> each, on non-blocking sockets) through its own <see cref="SocketPoller"/>, all
/// starting together; the warmup, then the measured duration; then the merge of every worker's figures. With stream
/// clients (<see cref="LoadTestOptions.StreamClients"/>), the measured duration is split where they open: each
/// request counts in the phase of its intended time, and the clients read the dashboard's live stream from then on.
/// </summary>
internal static class LoadTestRunner
{
    // Time for every thread to start before the first request is due, so that no worker is ahead of the rest.
    private static readonly TimeSpan StartDelay = TimeSpan.FromMilliseconds(50);

    public static LoadTestResult Run(LoadTestOptions options, IReadOnlyList<byte[]> requests, EndPoint endPoint, LoadClock clock)
    {
        var count = options.Connections;
        var threadCount = options.ThreadCount;
        var pollers = new SocketPoller[threadCount];
        var connections = new RawHttpConnection[count];
        var workers = new ConnectionWorker[threadCount];
        var threads = new Thread[threadCount];
        var failures = new ExceptionDispatchInfo?[threadCount];
        Task<DashboardStreamClients>? streams = null;
        try
        {
            var start = clock.GetTimestamp() + clock.Ticks(StartDelay);
            var warmupEnd = start + clock.Ticks(options.Warmup);
            var end = warmupEnd + clock.Ticks(options.Duration);
            long? split = options.Split is { } after ? warmupEnd + clock.Ticks(after) : null;
            var shares = new List<ScheduledConnection>[threadCount];
            for (var t = 0; t < threadCount; t++)
            {
                pollers[t] = SocketPoller.Create(clock);
                shares[t] = [];
            }

            for (var i = 0; i < count; i++)
            {
                // Round robin: the connections' staggered send times spread evenly over the workers.
                var t = i % threadCount;
                connections[i] = new RawHttpConnection(endPoint, options.Timeout, pollers[t], shares[t].Count);
                var schedule = options.Rate > 0
                    ? SendSchedule.OpenLoop(start, options.Rate, i, count, clock.Frequency)
                    : SendSchedule.ClosedLoop(start);
                // Connections start at evenly spaced places in the pool, so they do not send the same body at once.
                var first = (int)((long)i * requests.Count / count);
                shares[t].Add(new ScheduledConnection(connections[i], schedule, first));
            }

            for (var t = 0; t < threadCount; t++)
            {
                var worker = workers[t] = new ConnectionWorker(
                    shares[t], requests, clock, pollers[t], warmupEnd, end, clock.Ticks(options.Timeout), split: split);
                var index = t;
                threads[t] = new Thread(() =>
                {
                    try
                    {
                        worker.Run();
                    }
                    catch (Exception e)
                    {
                        failures[index] = ExceptionDispatchInfo.Capture(e);
                    }
                })
                {
                    IsBackground = true,
                    Name = $"loadtest-{t}",
                };
                threads[t].Start();
            }

            if (split is { } at)
                streams = OpenStreamsAt(options, clock, at);
            foreach (var thread in threads)
                thread.Join();
            var finished = clock.GetTimestamp();
            var received = streams?.GetAwaiter().GetResult().StopAsync().GetAwaiter().GetResult() ?? [];
            foreach (var failure in failures)
                failure?.Throw();
            return new LoadTestResult(
                workers.Select(w => w.Stats).ToList(), clock.Seconds(finished - warmupEnd), connections.Sum(c => c.Connects),
                split is { } s ? clock.Seconds(s - warmupEnd) : null, received);
        }
        finally
        {
            streams?.GetAwaiter().GetResult().DisposeAsync().AsTask().GetAwaiter().GetResult();
            foreach (var connection in connections)
                connection?.Dispose();
            foreach (var poller in pollers)
                poller?.Dispose();
        }
    }

    /// <summary>Opens the stream clients when the clock reaches <paramref name="at"/>, waiting on a timer, not on a worker.</summary>
    private static async Task<DashboardStreamClients> OpenStreamsAt(LoadTestOptions options, LoadClock clock, long at)
    {
        var wait = clock.Seconds(at - clock.GetTimestamp());
        if (wait > 0)
            await Task.Delay(TimeSpan.FromSeconds(wait)).ConfigureAwait(false);
        return DashboardStreamClients.Open(options.Url, options.StreamClients);
    }
}
