namespace Amlfs.Server.Dashboard;

/// <summary>
/// The newest samples of the overview, one per second, in a bounded ring: by default six hours (21,600 samples, about
/// 3 MB), so that a page opened now shows the hours before it. One writer (the sampler), any number of readers.
/// </summary>
internal sealed class OverviewRing
{
    /// <summary>Six hours at one sample a second.</summary>
    public const int DefaultCapacity = 6 * 3600;

    /// <summary>The most points a history answer carries: longer spans are averaged into steps of several seconds.</summary>
    public const int MaxPoints = 1800;

    private readonly OverviewSample?[] _ring;
    private readonly Lock _gate = new();
    private long _count;

    public OverviewRing(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new OverviewSample?[capacity];
    }

    public int Capacity => _ring.Length;

    /// <summary>Samples held.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return (int)Math.Min(_count, _ring.Length);
        }
    }

    public void Add(OverviewSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        lock (_gate)
        {
            _ring[(int)(_count % _ring.Length)] = sample;
            _count++;
        }
    }

    /// <summary>The samples of the last <paramref name="seconds"/> seconds before <paramref name="nowMs"/>, oldest first.</summary>
    public IReadOnlyList<OverviewSample> Since(long nowMs, int seconds)
    {
        var from = nowMs - (seconds * 1000L);
        var found = new List<OverviewSample>();
        lock (_gate)
        {
            var held = (int)Math.Min(_count, _ring.Length);
            for (var k = held; k >= 1; k--)
            {
                var sample = _ring[(int)((_count - k) % _ring.Length)]!;
                if (sample.T > from)
                    found.Add(sample);
            }
        }

        return found;
    }

    /// <summary>
    /// The last <paramref name="seconds"/> seconds as columns, in steps of enough seconds that at most
    /// <see cref="MaxPoints"/> points remain.
    /// </summary>
    public OverviewHistory History(long nowMs, int seconds)
    {
        var samples = Since(nowMs, seconds);
        var step = Math.Max(1, (int)Math.Ceiling(seconds / (double)MaxPoints));
        var groups = samples.GroupBy(s => s.T / (step * 1000L)).ToArray();
        double?[] Column(Func<IGrouping<long, OverviewSample>, double?> f) => [.. groups.Select(f)];
        static double? Mean(IEnumerable<double?> values)
        {
            var present = values.Where(v => v is not null).Select(v => v!.Value).ToArray();
            return present.Length == 0 ? null : present.Average();
        }

        static double? Max(IEnumerable<double?> values)
        {
            var present = values.Where(v => v is not null).Select(v => v!.Value).ToArray();
            return present.Length == 0 ? null : present.Max();
        }

        return new OverviewHistory
        {
            StepSeconds = step,
            T = [.. groups.Select(g => g.Last().T)],
            Accepted = Column(g => Mean(g.Select(s => (double?)s.Accepted))),
            Duplicates = Column(g => Mean(g.Select(s => (double?)s.Duplicates))),
            RejectedLate = Column(g => Mean(g.Select(s => (double?)s.RejectedLate))),
            RejectedFuture = Column(g => Mean(g.Select(s => (double?)s.RejectedFuture))),
            RejectedInvalid = Column(g => Mean(g.Select(s => (double?)s.RejectedInvalid))),
            DecisionsLow = Column(g => Mean(g.Select(s => (double?)s.DecisionsLow))),
            DecisionsMedium = Column(g => Mean(g.Select(s => (double?)s.DecisionsMedium))),
            DecisionsHigh = Column(g => Mean(g.Select(s => (double?)s.DecisionsHigh))),
            PredictRequests = Column(g => Mean(g.Select(s => (double?)s.PredictRequests))),
            PredictP50Ms = Column(g => Mean(g.Select(s => s.PredictP50Ms))),
            PredictP99Ms = Column(g => Max(g.Select(s => s.PredictP99Ms))),
            LagSeconds = Column(g => Max(g.Select(s => s.LagSeconds))),
            QueueDepth = Column(g => Max(g.Select(s => (double?)s.QueueDepth))),
            FreshnessSeconds = Column(g => Max(g.Select(s => s.FreshnessSeconds))),
        };
    }
}
