namespace Amlfs.Learning.Drift;

/// <summary>
/// The live distribution of a model's inputs and score over a sliding day, against its <see cref="ReferenceDistribution"/>.
/// Each decision adds one to the bin of each input and of the score (a count over at most <c>bins - 1</c> edges each,
/// <see cref="ReferenceBins.BinOf"/>) in the bucket of its event time's hour, and to running totals over the day. The day is the 24 hourly
/// buckets ending with the newest decision's hour: keyed by event time, so that a replayed or generated history
/// moves it as live traffic does, and it stays put while no decision comes. When the newest hour moves on, each
/// bucket leaving the day is subtracted from the totals and cleared (never re-summed); a decision older than the day
/// is not counted. Reading computes the PSI of each variable from the totals (<see cref="PopulationStabilityIndex"/>).
/// Thread-safe: adds and reads take one short lock.
/// </summary>
public sealed class DriftMonitor
{
    /// <summary>Decisions the day must hold before a reading carries indexes.</summary>
    public const long DefaultMinimumDecisions = 1000;

    /// <summary>Hourly buckets in the day.</summary>
    public const int Hours = 24;

    private const long HourMs = 3_600_000;
    private const long NoHour = long.MinValue;

    private readonly ReferenceDistribution _reference;
    private readonly double[][] _edges;
    private readonly double[][] _expected;
    private readonly int[] _offsets;
    private readonly long[] _totals;
    private readonly long[][] _buckets;
    private readonly long[] _bucketHours;
    private readonly long[] _bucketDecisions;
    private readonly long _minimumDecisions;
    private readonly Lock _lock = new();
    private long _decisions;
    private long _newestHour = NoHour;

    public DriftMonitor(ReferenceDistribution reference, long minimumDecisions = DefaultMinimumDecisions)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minimumDecisions);
        _reference = reference;
        _minimumDecisions = minimumDecisions;
        var variables = reference.Inputs.Append(reference.Score).ToArray();
        _edges = [.. variables.Select(v => v.Edges.ToArray())];
        _expected = [.. variables.Select(v => v.AllShares())];
        _offsets = new int[variables.Length + 1];
        for (var v = 0; v < variables.Length; v++)
            _offsets[v + 1] = _offsets[v] + variables[v].BinCount;
        var width = _offsets[^1];
        _totals = new long[width];
        _buckets = [.. Enumerable.Range(0, Hours).Select(_ => new long[width])];
        _bucketHours = [.. Enumerable.Repeat(NoHour, Hours)];
        _bucketDecisions = new long[Hours];
    }

    /// <summary>The reference the day is compared with; <see cref="Add"/> takes the inputs in its order.</summary>
    public ReferenceDistribution Reference => _reference;

    /// <summary>Counts one decision: its event time, the model's inputs (in the reference's order) and its score.</summary>
    /// <exception cref="ArgumentException">Not one value per input.</exception>
    public void Add(long eventTimeMs, ReadOnlySpan<double> inputs, double score)
    {
        var count = _edges.Length - 1;
        if (inputs.Length != count)
            throw new ArgumentException($"{inputs.Length} input values for {count} inputs", nameof(inputs));
        Span<int> bins = count < 256 ? stackalloc int[count + 1] : new int[count + 1];
        for (var v = 0; v < count; v++)
            bins[v] = _offsets[v] + ReferenceBins.BinOf(_edges[v], inputs[v]);
        bins[count] = _offsets[count] + ReferenceBins.BinOf(_edges[count], score);

        var hour = Math.DivRem(eventTimeMs, HourMs, out var rest) - (rest < 0 ? 1 : 0);
        lock (_lock)
        {
            if (hour > _newestHour)
                Advance(hour);
            else if (hour <= _newestHour - Hours)
                return; // before the day

            // A slot is cleared when its hour leaves the day, so it holds this hour or none yet.
            var slot = Slot(hour);
            _bucketHours[slot] = hour;
            var bucket = _buckets[slot];
            foreach (var bin in bins)
            {
                bucket[bin]++;
                _totals[bin]++;
            }

            _bucketDecisions[slot]++;
            _decisions++;
        }
    }

    /// <summary>The day's counts now, with the indexes once the day holds enough decisions.</summary>
    public DriftReading Read(DateTimeOffset now)
    {
        long decisions;
        long newestHour;
        var totals = new long[_totals.Length];
        lock (_lock)
        {
            decisions = _decisions;
            newestHour = _newestHour;
            _totals.CopyTo(totals, 0);
        }

        var reading = new DriftReading
        {
            ComputedAt = now,
            Decisions = decisions,
            MinimumDecisions = _minimumDecisions,
            DayStart = newestHour == NoHour ? null : DateTimeOffset.FromUnixTimeMilliseconds((newestHour - Hours + 1) * HourMs),
            DayEnd = newestHour == NoHour ? null : DateTimeOffset.FromUnixTimeMilliseconds((newestHour + 1) * HourMs),
            Inputs = [],
        };
        if (decisions < _minimumDecisions)
            return reading;

        var inputs = new InputDrift[_edges.Length - 1];
        for (var v = 0; v < inputs.Length; v++)
            inputs[v] = new InputDrift(_reference.Inputs[v].Name, Psi(v, totals));
        return reading with
        {
            ScorePsi = Psi(inputs.Length, totals),
            Inputs = [.. inputs.OrderByDescending(i => i.Psi)],
        };
    }

    private double Psi(int variable, long[] totals) =>
        PopulationStabilityIndex.Of(_expected[variable], totals.AsSpan(_offsets[variable], _offsets[variable + 1] - _offsets[variable]));

    /// <summary>Makes <paramref name="hour"/> the newest: every bucket whose hour leaves the day leaves the totals.</summary>
    private void Advance(long hour)
    {
        for (var slot = 0; slot < Hours; slot++)
        {
            if (_bucketHours[slot] == NoHour || _bucketHours[slot] > hour - Hours)
                continue;
            var bucket = _buckets[slot];
            for (var bin = 0; bin < bucket.Length; bin++)
                _totals[bin] -= bucket[bin];
            Array.Clear(bucket);
            _decisions -= _bucketDecisions[slot];
            _bucketDecisions[slot] = 0;
            _bucketHours[slot] = NoHour;
        }

        _newestHour = hour;
    }

    private static int Slot(long hour) => (int)(((hour % Hours) + Hours) % Hours);
}
