using Amlfs.Kafka.Workers;

namespace Amlfs.Kafka.Tests;

/// <summary>A <see cref="KafkaWorker"/> running on a thread of its own, as <c>amlfs worker</c> runs it.</summary>
internal sealed class WorkerRun : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly KafkaWorker _worker;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private Exception? _failure;

    public WorkerRun(KafkaWorker worker, LineLogger log)
    {
        _worker = worker;
        Log = log;
        _thread = new Thread(() =>
        {
            try
            {
                _worker.Run(_stop.Token);
            }
            catch (Exception e)
            {
                _failure = e;
            }
        })
        { IsBackground = true, Name = "worker" };
        _thread.Start();
    }

    public WorkerTotals Totals => _worker.Totals;

    public LineLogger Log { get; }

    /// <summary>Waits until the worker's totals satisfy <paramref name="done"/>; fails after a minute or when the worker failed.</summary>
    public void WaitFor(Func<WorkerTotals, bool> done) => WaitFor(() =>
    {
        if (_failure is not null)
            throw new InvalidOperationException("the worker failed", _failure);
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
        if (!_thread.Join(Patience))
            throw new TimeoutException("the worker did not stop within a minute");
        if (_failure is not null)
            throw new InvalidOperationException("the worker failed", _failure);
        return _worker.Totals;
    }

    public void Dispose()
    {
        if (_thread.IsAlive)
        {
            _stop.Cancel();
            _thread.Join(Patience);
        }

        _worker.Dispose();
        _stop.Dispose();
    }
}
