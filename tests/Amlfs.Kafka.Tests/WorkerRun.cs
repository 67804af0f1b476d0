using Amlfs.Kafka.Workers;
using Amlfs.Testing;

namespace Amlfs.Kafka.Tests;

/// <summary>A <see cref="KafkaWorker"/> running on a thread of its own (<see cref="KafkaWorker.Start"/>), as <c>amlfs worker</c> runs it.</summary>
internal sealed class WorkerRun : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly KafkaWorker _worker;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    public WorkerRun(KafkaWorker worker, LineLogger log)
    {
        _worker = worker;
        Log = log;
        _running = worker.Start(_stop.Token);
    }

    private Exception? Failure => _running.Exception?.GetBaseException();

    public WorkerTotals Totals => _worker.Totals;

    public LineLogger Log { get; }

    /// <summary>Waits until the worker's totals satisfy <paramref name="done"/>; fails after a minute or when the worker failed.</summary>
    public void WaitFor(Func<WorkerTotals, bool> done) => WaitFor(() =>
    {
        if (Failure is { } failure)
            throw new InvalidOperationException("the worker failed", failure);
        return done(_worker.Totals);
    }, this);

    public static void WaitFor(Func<bool> done, params WorkerRun[] runs)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the workers did not get there within a minute: " + string.Join(Environment.NewLine,
                    runs.Select(r => $"{r.Totals}{Environment.NewLine}{r.Log.Text}")));
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>Stops the worker cleanly (checkpoints, leaves the group) and returns its totals.</summary>
    public WorkerTotals Stop()
    {
        _stop.Cancel();
        if (!Stopped())
            throw new TimeoutException("the worker did not stop within a minute");
        if (Failure is { } failure)
            throw new InvalidOperationException("the worker failed", failure);
        return _worker.Totals;
    }

    public void Dispose()
    {
        if (!_running.IsCompleted)
        {
            _stop.Cancel();
            Stopped();
        }

        _worker.Dispose();
        _stop.Dispose();
    }

    private bool Stopped() => _running.ContinueWith(_ => { }, TaskScheduler.Default).Wait(Patience);
}
