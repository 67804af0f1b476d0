using System.Net;
using System.Runtime.ExceptionServices;

namespace Amlfs.Cli.LoadTest;

/// <summary>
/// Runs a load test: a few <see cref="ConnectionWorker"/> threads (one per core by default), each driving its share of the connections
/// (one <see cref="RawHttpConnection"/> each, on non-blocking sockets) through its own <see cref="SocketPoller"/>, all
/// starting together; the warmup, then the measured duration; then the merge of every worker's figures. With stream
/// clients (<see cref="LoadTestOptions.StreamClients"/>), the clients read the dashboard's live stream in the windows
/// the options give (<see cref="StreamWindows"/>), and each request counts in the phase of its intended time: without
/// the streams or with them.
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
        using var stop = new CancellationTokenSource();
        Task<StreamClientResult[]>? streams = null;
        try
        {
            var start = clock.GetTimestamp() + clock.Ticks(StartDelay);
            var warmupEnd = start + clock.Ticks(options.Warmup);
            var end = warmupEnd + clock.Ticks(options.Duration);
            StreamWindows? windows = options.Split is { } after ? new StreamWindows(warmupEnd + clock.Ticks(after), clock.Ticks(options.StreamCycle)) : null;
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
                    shares[t], requests, clock, pollers[t], warmupEnd, end, clock.Ticks(options.Timeout), streams: windows);
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

            if (windows is { } open)
                streams = ReadStreamsAsync(options, clock, open, end, stop.Token);
            foreach (var thread in threads)
                thread.Join();
            var finished = clock.GetTimestamp();
            var received = streams?.GetAwaiter().GetResult() ?? [];
            foreach (var failure in failures)
                failure?.Throw();
            return new LoadTestResult(
                workers.Select(w => w.Stats).ToList(), clock.Seconds(finished - warmupEnd), connections.Sum(c => c.Connects),
                windows is { } w ? clock.Seconds(w.OpenTicks(warmupEnd, finished)) : null, received);
        }
        finally
        {
            // A worker that failed ends the run early: the streams close now rather than at the end.
            stop.Cancel();
            streams?.ContinueWith(_ => { }, TaskScheduler.Default).GetAwaiter().GetResult();
            foreach (var connection in connections)
                connection?.Dispose();
            foreach (var poller in pollers)
                poller?.Dispose();
        }
    }

    /// <summary>
    /// Opens the stream clients at the start of each window and closes them at its end, on timers (never on a worker's
    /// thread), until <paramref name="end"/>; what each client received, added over the windows.
    /// </summary>
    private static async Task<StreamClientResult[]> ReadStreamsAsync(
        LoadTestOptions options, LoadClock clock, StreamWindows windows, long end, CancellationToken cancellationToken)
    {
        var received = Enumerable.Range(0, options.StreamClients).Select(_ => new StreamClientResult(0, 0, null)).ToArray();
        foreach (var (open, close) in windows.Until(end))
        {
            await WaitUntilAsync(clock, open, cancellationToken).ConfigureAwait(false);
            var clients = DashboardStreamClients.Open(options.Url, options.ApiKey, options.StreamClients);
            await using (clients.ConfigureAwait(false))
            {
                try
                {
                    await WaitUntilAsync(clock, close, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    var window = await clients.StopAsync().ConfigureAwait(false);
                    for (var i = 0; i < received.Length; i++)
                        received[i] = new StreamClientResult(received[i].Events + window[i].Events, received[i].Bytes + window[i].Bytes, received[i].Error ?? window[i].Error);
                }
            }
        }

        return received;
    }

    private static async Task WaitUntilAsync(LoadClock clock, long time, CancellationToken cancellationToken)
    {
        var wait = clock.Seconds(time - clock.GetTimestamp());
        if (wait > 0)
            await Task.Delay(TimeSpan.FromSeconds(wait), cancellationToken).ConfigureAwait(false);
    }
}
