using Amlfs.Alerts.Evaluation;
using Amlfs.Learning.Drift;
using Amlfs.Server.Observability;

namespace Amlfs.Server.Alerting;

/// <summary>
/// The process's signals as the system alert rules read them, once a second: the engine's lag and its accepted and
/// rejected counters (a replica has none), the health of each component (checked every few seconds, as the checks may
/// make a round trip), the <c>/predict</c> p99 of the last second when the dashboard's sampler measures it, and the
/// population stability index of each input and of the score once the active model's sliding day holds enough decisions.
/// </summary>
internal sealed class SystemSignals(ServerMetrics metrics, ServerHealth health, TimeProvider clock)
{
    private static readonly TimeSpan HealthEvery = TimeSpan.FromSeconds(5);

    private IReadOnlyDictionary<string, bool> _components = new Dictionary<string, bool>();
    private long _checkedAt = long.MinValue;

    /// <summary>The <c>/predict</c> p99 over the last second, in seconds, or null when unknown.</summary>
    public Func<double?> PredictP99Seconds { get; set; } = () => null;

    /// <summary>The active learned model's drift now, or null when no model with a reference decides.</summary>
    public Func<DriftReading?> Drift { get; set; } = () => null;

    public async ValueTask<SystemSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        if (_checkedAt == long.MinValue || clock.GetElapsedTime(_checkedAt) >= HealthEvery)
        {
            var report = await health.CheckAsync(cancellationToken).ConfigureAwait(false);
            _components = report.Components.ToDictionary(c => c.Key, c => c.Value.Status != ServerHealth.Unhealthy, StringComparer.Ordinal);
            _checkedAt = clock.GetTimestamp();
        }

        var engine = metrics.ReadEngine();
        var drift = Drift();
        return new SystemSnapshot
        {
            PredictP99Seconds = PredictP99Seconds(),
            EngineLagSeconds = engine?.LagSeconds,
            IngestAccepted = engine?.Accepted,
            IngestRejected = engine is { } e ? e.Late + e.Future + metrics.InvalidCount : null,
            Components = _components,
            FeaturePsi = drift is null ? new Dictionary<string, double>() : drift.Inputs.ToDictionary(i => i.Input, i => i.Psi, StringComparer.Ordinal),
            ScorePsi = drift?.ScorePsi,
        };
    }
}
