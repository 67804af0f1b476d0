using System.Globalization;
using Amlfs.Transactions;

namespace Amlfs.Engine;

/// <summary>
/// Replay mode: feeds a history through the same <see cref="FeatureEngine"/> in event-time order and emits the
/// feature vector of each request as of its instant, so training rows are exactly what serving would have returned.
/// Before a request at q it applies every event with time before q; events at q or later cannot affect it (windows
/// are half-open), so ties need no special order.
/// </summary>
public static class PointInTimeReplay
{
    /// <summary>
    /// Runs the replay. <paramref name="history"/> and <paramref name="requests"/> must each be in non-decreasing time
    /// order. <paramref name="emit"/> receives each request with its features in <c>EntityPlan.Features</c> order; the
    /// span is only valid during the call. Returns the ingest outcome counts.
    /// </summary>
    public static ReplayStatistics Run(
        FeaturePlan plan,
        EngineOptions options,
        IEnumerable<Transaction> history,
        IEnumerable<ReplayRequest> requests,
        ReplayEmitter emit)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(emit);
        using var engine = new FeatureEngine(plan, options with { Threaded = false, ShardCount = 1 });
        using var events = history.GetEnumerator();
        var pending = events.MoveNext() ? events.Current : null;
        var lastEventMs = long.MinValue;
        var lastRequestMs = long.MinValue;
        var row = 0L;
        var buffers = plan.Entities.Select(e => new double[e.Features.Count]).ToArray();
        foreach (var request in requests)
        {
            if (request.AsOfMs < lastRequestMs)
                throw new ArgumentException(Invariant($"requests must be in time order: row {row} goes back in time"), nameof(requests));
            lastRequestMs = request.AsOfMs;
            var entity = plan.Entity(request.Entity)
                ?? throw new ArgumentException(Invariant($"row {row}: unknown entity '{request.Entity}'"), nameof(requests));
            while (pending is not null && pending.TimestampMs < request.AsOfMs)
            {
                if (pending.TimestampMs < lastEventMs)
                    throw new ArgumentException(Invariant($"history must be in event-time order: transaction '{pending.TransactionId}' goes back in time"), nameof(history));
                lastEventMs = pending.TimestampMs;
                engine.Ingest(pending);
                pending = events.MoveNext() ? events.Current : null;
            }

            var features = buffers[entity.Index];
            engine.Read(entity, request.EntityId, request.AsOfMs, features);
            emit(request, features);
            row++;
        }

        return new ReplayStatistics(row, engine.Accepted, engine.Duplicates);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Receives one replayed row; <paramref name="features"/> is valid only during the call.</summary>
public delegate void ReplayEmitter(ReplayRequest request, ReadOnlySpan<double> features);

/// <summary>Counts of a replay: rows emitted, events accepted, duplicate events skipped.</summary>
public sealed record ReplayStatistics(long Rows, long Accepted, long Duplicates);
