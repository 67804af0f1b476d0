using Amlfs.Alerts.Metrics;
using Amlfs.Alerts.Outbox;
using Amlfs.Alerts.Queries;
using Amlfs.Alerts.Rules;
using Microsoft.Extensions.Logging;

namespace Amlfs.Alerts.Delivery;

/// <summary>
/// Delivers raised alerts to their channels: each (alert, channel) is pending until a channel accepts it or it is
/// given up (its channel's attempts spent, or refused for good), and either outcome is appended to the outbox before it
/// counts. Failed attempts are retried after the channel's back-off. Channels are served concurrently, each in alert
/// order. Thread-safe; one delivery pass runs at a time.
/// </summary>
internal sealed partial class AlertDispatcher : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, IAlertChannel> _channels;
    private readonly AlertRuleSet _rules;
    private readonly AlertOutbox _outbox;
    private readonly RecentAlerts _recent;
    private readonly AlertMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly Lock _lock = new();
    private readonly List<Pending> _pending = [];
    private readonly SemaphoreSlim _pass = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public AlertDispatcher(
        IReadOnlyDictionary<string, IAlertChannel> channels, AlertRuleSet rules, AlertOutbox outbox, RecentAlerts recent,
        AlertMetrics metrics, TimeProvider time, ILogger logger, Random random)
    {
        _channels = channels;
        _rules = rules;
        _outbox = outbox;
        _recent = recent;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _random = random;
    }

    /// <summary>Deliveries not settled yet.</summary>
    public int PendingCount
    {
        get
        {
            lock (_lock)
                return _pending.Count;
        }
    }

    /// <summary>Starts delivering in the background.</summary>
    public void Start() => _loop = Task.Run(LoopAsync);

    /// <summary>Queues <paramref name="alert"/> for each of <paramref name="channels"/>, due now.</summary>
    public void Enqueue(Alert alert, IEnumerable<string> channels)
    {
        var now = NowMs;
        lock (_lock)
        {
            foreach (var channel in channels)
                _pending.Add(new Pending(alert, channel) { DueMs = now });
        }

        _wake.Release();
    }

    /// <summary>Makes one attempt at every delivery that is due; the number of attempts made.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<Pending> due;
            var now = NowMs;
            lock (_lock)
            {
                due = _pending.Where(p => p.DueMs <= now).ToList();
                _pending.RemoveAll(p => p.DueMs <= now);
            }

            await Task.WhenAll(due.GroupBy(p => p.Channel).Select(g => DeliverAsync(g.Key, g.ToList(), cancellationToken))).ConfigureAwait(false);
            return due.Count;
        }
        finally
        {
            _pass.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
            await loop.ConfigureAwait(false);
        _stop.Dispose();
        _pass.Dispose();
        _wake.Dispose();
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task DeliverAsync(string channelName, List<Pending> deliveries, CancellationToken cancellationToken)
    {
        var channel = _channels[channelName];
        var policy = _rules.Channel(channelName)?.Retry ?? new RetryPolicy();
        var i = 0;
        try
        {
            for (; i < deliveries.Count; i++)
            {
                var pending = deliveries[i];
                DeliveryResult result;
                try
                {
                    result = await channel.SendAsync(pending.Alert, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    result = DeliveryResult.Retry(e.GetType().Name + ": " + e.Message);
                }

                pending.Attempts++;
                if (result.Delivered)
                {
                    Settle(pending, DeliveryStatus.Delivered, null);
                }
                else if (result.Permanent || pending.Attempts >= policy.Attempts)
                {
                    Settle(pending, DeliveryStatus.Failed, result.Error);
                }
                else
                {
                    var delay = policy.Delay(pending.Attempts, _random);
                    pending.DueMs = NowMs + (long)delay.TotalMilliseconds;
                    pending.LastError = result.Error;
                    _recent.Update(pending.Alert.Sequence, new ChannelDelivery(channelName, DeliveryStatus.Pending, pending.Attempts, null, result.Error));
                    LogDeliveryRetry(_logger, pending.Alert.Rule, pending.Alert.Sequence, channelName, pending.Attempts, (long)delay.TotalMilliseconds, result.Error);
                    lock (_lock)
                        _pending.Add(pending);
                }
            }
        }
        finally
        {
            // Cancelled part way (the engine stops): what was not attempted stays pending, here and in the outbox.
            if (i < deliveries.Count)
            {
                lock (_lock)
                    _pending.AddRange(deliveries.Skip(i));
            }
        }
    }

    private void Settle(Pending pending, DeliveryStatus status, string? error)
    {
        var now = NowMs;
        var alert = pending.Alert;
        try
        {
            _outbox.AppendOutcome(new OutboxOutcome(alert.Sequence, pending.Channel, status, now, pending.Attempts, error));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            LogOutboxWriteFailed(_logger, e);
        }

        _recent.Update(alert.Sequence, new ChannelDelivery(pending.Channel, status, pending.Attempts, now, error));
        if (status == DeliveryStatus.Delivered)
        {
            _metrics.Add(AlertCounter.Delivered, alert.Rule, pending.Channel);
        }
        else
        {
            _metrics.Add(AlertCounter.Failed, alert.Rule, pending.Channel);
            LogDeliveryFailed(_logger, alert.Rule, alert.Sequence, pending.Channel, pending.Attempts, error);
        }
    }

    private async Task LoopAsync()
    {
        var stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await DeliverDueAsync(stop).ConfigureAwait(false);
                await WaitAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogDeliveryLoopFailed(_logger, e);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Until the next delivery is due, or one is queued.</summary>
    private async Task WaitAsync(CancellationToken stop)
    {
        long? next;
        lock (_lock)
            next = _pending.Count == 0 ? null : _pending.Min(p => p.DueMs);
        var delay = next is { } due ? TimeSpan.FromMilliseconds(Math.Max(0, due - NowMs)) : Timeout.InfiniteTimeSpan;
        if (delay == TimeSpan.Zero)
            return;
        using var timer = new CancellationTokenSource(delay, _time);
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stop, timer.Token);
        try
        {
            await _wake.WaitAsync(wake.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
        }

        // One pass serves every alert queued meanwhile.
        while (_wake.CurrentCount > 0)
            await _wake.WaitAsync(0, stop).ConfigureAwait(false);
    }

    private sealed class Pending(Alert alert, string channel)
    {
        public Alert Alert { get; } = alert;

        public string Channel { get; } = channel;

        public int Attempts { get; set; }

        public long DueMs { get; set; }

        public string? LastError { get; set; }
    }
}
