using Amlfs.Learning.Drift;

namespace Amlfs.Learning.Tests.Drift;

public sealed class DriftMonitorTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);
    private static readonly long HourMs = (long)TimeSpan.FromHours(1).TotalMilliseconds;

    [Fact]
    public void Live_values_drawn_like_the_training_rows_read_stable_and_shifted_ones_significant()
    {
        var reference = Reference(new Random(1), rows: 20_000);
        var monitor = new DriftMonitor(reference);
        var random = new Random(2);
        for (var i = 0; i < 5_000; i++)
            monitor.Add(Start.ToUnixTimeMilliseconds() + (i * 1_000L), [Normal(random), Normal(random) + 1, Math.Floor(random.NextDouble() * 4)], random.NextDouble());

        var reading = monitor.Read(Start.AddHours(2));

        Assert.True(reading.Computed);
        Assert.Equal(5_000, reading.Decisions);
        var psi = reading.Inputs.ToDictionary(i => i.Input, i => i.Psi);
        Assert.InRange(psi["steady"], 0, 0.02);
        Assert.InRange(psi["levels"], 0, 0.02);
        Assert.InRange(reading.ScorePsi!.Value, 0, 0.02);
        // One standard deviation of shift is a significant drift.
        Assert.True(psi["shifted"] > 0.2, $"PSI {psi["shifted"]}");
        // Largest first.
        Assert.Equal(("shifted", DriftBand.Significant), (reading.Inputs[0].Input, reading.Inputs[0].Band));
        Assert.Equal(reading.Inputs.Select(i => i.Psi).OrderDescending(), reading.Inputs.Select(i => i.Psi));
    }

    [Fact]
    public void Below_the_minimum_the_day_is_counted_but_no_index_is_computed()
    {
        var monitor = new DriftMonitor(Reference(new Random(1), rows: 1_000), minimumDecisions: 3);
        var now = Start.ToUnixTimeMilliseconds();
        monitor.Add(now, [0, 0, 0], 0.5);
        monitor.Add(now, [0, 0, 0], 0.5);

        var collecting = monitor.Read(Start);
        monitor.Add(now, [0, 0, 0], 0.5);
        var computed = monitor.Read(Start);

        Assert.Equal((2, 3, false, null), (collecting.Decisions, collecting.MinimumDecisions, collecting.Computed, collecting.ScorePsi));
        Assert.Empty(collecting.Inputs);
        Assert.Equal((3, true, 3), (computed.Decisions, computed.Computed, computed.Inputs.Count));
        Assert.Equal(Start.AddHours(-23), computed.DayStart);
        Assert.Equal(Start.AddHours(1), computed.DayEnd);
    }

    [Fact]
    public void The_sliding_day_forgets_an_hour_once_a_decision_a_day_later_arrives()
    {
        var monitor = new DriftMonitor(Reference(new Random(1), rows: 1_000), minimumDecisions: 1);
        var t0 = Start.ToUnixTimeMilliseconds();
        for (var i = 0; i < 10; i++)
            monitor.Add(t0 + i, [5, 5, 3], 0.9); // the top bins
        monitor.Add(t0 + (23 * HourMs), [0, 1, 0], 0.1);
        Assert.Equal(11, monitor.Read(Start).Decisions);

        monitor.Add(t0 + (24 * HourMs), [0, 1, 0], 0.1);
        var reading = monitor.Read(Start.AddDays(1));

        // The first hour left: the day holds the two later decisions only, and the same as a monitor given only them.
        Assert.Equal(2, reading.Decisions);
        Assert.Equal(Start.AddHours(1), reading.DayStart);
        var fresh = new DriftMonitor(monitor.Reference, minimumDecisions: 1);
        fresh.Add(t0 + (23 * HourMs), [0, 1, 0], 0.1);
        fresh.Add(t0 + (24 * HourMs), [0, 1, 0], 0.1);
        Assert.Equal(Psis(fresh.Read(Start)), Psis(reading));

        // A late decision of an hour still in the day counts; one of an hour before the day does not.
        monitor.Add(t0 + HourMs, [0, 1, 0], 0.1);
        monitor.Add(t0 + HourMs - 1, [0, 1, 0], 0.1);
        Assert.Equal(3, monitor.Read(Start.AddDays(1)).Decisions);

        // A gap of more than a day empties it.
        monitor.Add(t0 + (60 * HourMs), [0, 1, 0], 0.1);
        Assert.Equal(1, monitor.Read(Start.AddDays(3)).Decisions);
    }

    [Fact]
    public void The_running_totals_equal_a_recount_of_the_decisions_in_the_day()
    {
        var reference = Reference(new Random(5), rows: 2_000);
        var monitor = new DriftMonitor(reference, minimumDecisions: 1);
        var random = new Random(6);
        var decisions = new List<(long TimeMs, double[] Inputs, double Score)>();
        var newest = Start.ToUnixTimeMilliseconds();
        for (var i = 0; i < 4_000; i++)
        {
            // About four and a half days, mostly in order, a tenth of the decisions up to two hours late.
            newest += random.Next(0, 200_000);
            var time = newest - (random.NextDouble() < 0.1 ? random.Next(0, (int)(2 * HourMs)) : 0);
            double[] inputs = [Normal(random) * 2, random.NextDouble() < 0.05 ? double.NaN : Normal(random), random.Next(0, 6)];
            var score = random.NextDouble() * random.NextDouble();
            monitor.Add(time, inputs, score);
            decisions.Add((time, inputs, score));
        }

        var reading = monitor.Read(Start);

        var newestHour = decisions.Max(d => d.TimeMs) / HourMs;
        var day = decisions.Where(d => d.TimeMs / HourMs > newestHour - DriftMonitor.Hours).ToList();
        Assert.Equal(day.Count, reading.Decisions);
        var expected = reference.Inputs.Select((bins, v) => (bins.Name, Psi: Recount(bins, day.Select(d => d.Inputs[v]))))
            .Append((Name: ReferenceDistribution.ScoreName, Psi: Recount(reference.Score, day.Select(d => d.Score))))
            .ToDictionary(p => p.Name, p => p.Psi);
        foreach (var input in reading.Inputs)
            Assert.Equal(expected[input.Input], input.Psi, 12);
        Assert.Equal(expected[ReferenceDistribution.ScoreName], reading.ScorePsi!.Value, 12);
    }

    [Fact]
    public void A_decision_with_another_number_of_inputs_is_refused()
    {
        var monitor = new DriftMonitor(Reference(new Random(1), rows: 100));

        Assert.Throws<ArgumentException>(() => monitor.Add(0, [1, 2], 0.5));
    }

    /// <summary>Three inputs: standard normal, standard normal (which the live data shifts), four levels; the score uniform.</summary>
    private static ReferenceDistribution Reference(Random random, int rows)
    {
        var values = new double[rows * 3];
        for (var r = 0; r < rows; r++)
        {
            values[r * 3] = Normal(random);
            values[(r * 3) + 1] = Normal(random);
            values[(r * 3) + 2] = Math.Floor(random.NextDouble() * 4);
        }

        double[] scores = [.. Enumerable.Range(0, rows).Select(_ => random.NextDouble())];
        return ReferenceDistribution.Fit(["steady", "shifted", "levels"], values, scores);
    }

    private static double Recount(ReferenceBins bins, IEnumerable<double> values)
    {
        var counts = new long[bins.BinCount];
        double[] edges = [.. bins.Edges];
        foreach (var value in values)
            counts[ReferenceBins.BinOf(edges, value)]++;
        return PopulationStabilityIndex.Of(bins.AllShares(), counts);
    }

    private static double[] Psis(DriftReading reading) =>
        [.. reading.Inputs.OrderBy(i => i.Input, StringComparer.Ordinal).Select(i => i.Psi), reading.ScorePsi ?? double.NaN];

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
