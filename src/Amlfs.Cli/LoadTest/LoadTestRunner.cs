using System.Net;
using System.Runtime.ExceptionServices;

namespace Amlfs.Cli.LoadTest;

/// <summary>
/// Runs a load test: one thread and one <see cref="RawHttpConnection"/> per connection, all starting together; the
/// warmup, then the measured duration; then the merge of every connection's figures.
/// </summary>
internal static class LoadTestRunner
{
    // Time for every thread to start before the first request is due, so that connection 0 is not ahead of the rest.
    private static readonly TimeSpan StartDelay = TimeSpan.FromMilliseconds(50);

    public static LoadTestResult Run(LoadTestOptions options, IReadOnlyList<byte[]> requests, EndPoint endPoint, LoadClock clock)
    {
        var count = options.Connections;
        var connections = new RawHttpConnection[count];
        var workers = new ConnectionWorker[count];
        var threads = new Thread[count];
        var failures = new ExceptionDispatchInfo?[count];
        try
        {
            var start = clock.GetTimestamp() + clock.Ticks(StartDelay);
            var warmupEnd = start + clock.Ticks(options.Warmup);
            var end = warmupEnd + clock.Ticks(options.Duration);
            for (var i = 0; i < count; i++)
            {
                connections[i] = new RawHttpConnection(endPoint, options.Timeout);
                var schedule = options.Rate > 0
                    ? SendSchedule.OpenLoop(start, options.Rate, i, count, clock.Frequency)
                    : SendSchedule.ClosedLoop(start);
                // Connections start at evenly spaced places in the pool, so they do not send the same body at once.
                var first = (int)((long)i * requests.Count / count);
                workers[i] = new ConnectionWorker(connections[i], requests, first, clock, schedule, warmupEnd, end);
                var worker = workers[i];
                var index = i;
                threads[i] = new Thread(() =>
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
                    Name = $"loadtest-{i}",
                };
                threads[i].Start();
            }

            foreach (var thread in threads)
                thread.Join();
            var finished = clock.GetTimestamp();
            foreach (var failure in failures)
                failure?.Throw();
            return new LoadTestResult(
                workers.Select(w => w.Stats).ToList(), clock.Seconds(finished - warmupEnd), connections.Sum(c => c.Connects));
        }
        finally
        {
            foreach (var connection in connections)
                connection?.Dispose();
        }
    }
}
