using System.Collections.Concurrent;
using Amlfs.Alerts.Delivery;

namespace Amlfs.Alerts.Tests;

/// <summary>A channel that records what it is sent and answers from a script (then succeeds).</summary>
internal sealed class RecordingChannel(string name, params DeliveryResult[] script) : IAlertChannel
{
    private readonly ConcurrentQueue<DeliveryResult> _script = new(script);

    public string Name { get; } = name;

    public ConcurrentQueue<Alert> Attempts { get; } = new();

    public Task<DeliveryResult> SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        Attempts.Enqueue(alert);
        return Task.FromResult(_script.TryDequeue(out var result) ? result : DeliveryResult.Success);
    }
}
