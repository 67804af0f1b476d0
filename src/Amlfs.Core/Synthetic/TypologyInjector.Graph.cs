using Amlfs.Transactions;

namespace Amlfs.Synthetic;

/// <summary>
/// The graph typologies: money moving between accounts (<see cref="DestinationType.Account"/>), now and then ending at
/// a crypto exchange or money-transfer merchant. Each instance draws its size, hops, amounts and timing from its
/// shape, starts at a time of day drawn from the population's rhythm and may run over several days. Participants are
/// customers, who keep their normal activity, or fresh accounts.
/// </summary>
internal sealed partial class TypologyInjector
{
    /// <summary>Accounts (a degree from the shape) each pay one hub, or the hub pays each of them, once or twice.</summary>
    private void Fan(ref SeededRandom rng, TypologyShape shape, byte label, bool inward)
    {
        var taken = new HashSet<int>();
        var hub = Accounts(ref rng, 1, shape.FreshAccounts, taken)[0];
        var others = Accounts(ref rng, rng.Next(shape.Accounts), shape.FreshAccounts, taken);
        var span = rng.NextInt64(shape.SpanMs);
        var time = Place(ref rng, span);
        var style = StyleOf(ref rng, shape);
        foreach (var other in others)
        {
            var times = rng.Chance(0.2) ? 2 : 1;
            for (var i = 0; i < times; i++)
            {
                var (from, to) = inward ? (other, hub) : (hub, other);
                Transfer(ref rng, time.At(rng.NextInt64(span + 1)), from, to, Amount(ref rng, style), label);
            }
        }
    }

    /// <summary>
    /// 2 to 6 accounts pass the money on in a closed walk back to the first, each transfer after the one before, each
    /// hop keeping a small fee.
    /// </summary>
    private void Cycle(ref SeededRandom rng, TypologyShape shape, byte label)
    {
        var hops = rng.Next(shape.Hops);
        var accounts = Accounts(ref rng, hops, shape.FreshAccounts, []);
        var span = rng.NextInt64(shape.SpanMs);
        var time = Place(ref rng, span);
        var offsets = Increasing(ref rng, span, hops);
        var cents = Amount(ref rng, StyleOf(ref rng, shape));
        for (var i = 0; i < hops; i++)
        {
            Transfer(ref rng, time.At(offsets[i]), accounts[i], accounts[(i + 1) % hops], cents, label);
            cents = Less(ref rng, cents, shape.Fee);
        }
    }

    /// <summary>
    /// A source pays intermediates in the first half of the span; each pays what it got, less a fee, to one
    /// destination after it was paid: an account, or for a share of instances a crypto or money-transfer merchant.
    /// </summary>
    private void ScatterGather(ref SeededRandom rng, TypologyShape shape, byte label)
    {
        var taken = new HashSet<int>();
        var source = Accounts(ref rng, 1, shape.FreshAccounts, taken)[0];
        var intermediates = Accounts(ref rng, rng.Next(shape.Accounts), shape.FreshAccounts, taken);
        var toMerchant = rng.Chance(shape.MerchantShare);
        var destination = toMerchant
            ? population.MerchantOf(ref rng, LaunderingCategories)
            : Accounts(ref rng, 1, shape.FreshAccounts, taken)[0];
        var kind = toMerchant ? DestinationType.Merchant : DestinationType.Account;
        var span = rng.NextInt64(shape.SpanMs);
        var time = Place(ref rng, span);
        var style = StyleOf(ref rng, shape);
        foreach (var intermediate in intermediates)
        {
            var paid = rng.NextInt64(span / 2 + 1);
            var cents = Amount(ref rng, style);
            Transfer(ref rng, time.At(paid), source, intermediate, cents, label);
            var passed = paid + span / 10 + rng.NextInt64(span - paid - span / 10 + 1);
            Send(ref rng, time.At(passed), intermediate, destination, kind, Less(ref rng, cents, shape.Fee), label);
        }
    }

    /// <summary>
    /// Sources pay one hub in the first 45% of the span; after the last of them the hub pays what it gathered, less a
    /// fee, to several destinations, each an account or, with the merchant share, a crypto or money-transfer merchant.
    /// </summary>
    private void GatherScatter(ref SeededRandom rng, TypologyShape shape, byte label)
    {
        var taken = new HashSet<int>();
        var hub = Accounts(ref rng, 1, shape.FreshAccounts, taken)[0];
        var sources = Accounts(ref rng, rng.Next(shape.Accounts), shape.FreshAccounts, taken);
        var destinations = Accounts(ref rng, rng.Next(shape.Accounts), shape.FreshAccounts, taken);
        var span = rng.NextInt64(shape.SpanMs);
        var time = Place(ref rng, span);
        var style = StyleOf(ref rng, shape);
        var gathered = 0L;
        var lastPaid = 0L;
        foreach (var source in sources)
        {
            var paid = rng.NextInt64(span * 45 / 100 + 1);
            lastPaid = Math.Max(lastPaid, paid);
            var cents = Amount(ref rng, style);
            gathered += cents;
            Transfer(ref rng, time.At(paid), source, hub, cents, label);
        }

        var parts = Split(ref rng, Less(ref rng, gathered, shape.Fee), destinations.Length);
        for (var i = 0; i < destinations.Length; i++)
        {
            var sent = span * 55 / 100 + rng.NextInt64(span - span * 55 / 100 + 1);
            if (rng.Chance(shape.MerchantShare))
                Send(ref rng, time.At(sent), hub, population.MerchantOf(ref rng, LaunderingCategories), DestinationType.Merchant, parts[i], label);
            else
                Transfer(ref rng, time.At(sent), hub, destinations[i], parts[i], label);
        }
    }

    /// <summary>One group of accounts pays another, many to many, at any time within the span.</summary>
    private void Bipartite(ref SeededRandom rng, TypologyShape shape, byte label)
    {
        var taken = new HashSet<int>();
        var senders = Accounts(ref rng, rng.Next(shape.Accounts), shape.FreshAccounts, taken);
        var receivers = Accounts(ref rng, rng.Next(shape.Accounts), shape.FreshAccounts, taken);
        var span = rng.NextInt64(shape.SpanMs);
        var time = Place(ref rng, span);
        var style = StyleOf(ref rng, shape);
        foreach (var (s, r) in Edges(ref rng, senders.Length, receivers.Length))
            Transfer(ref rng, time.At(rng.NextInt64(span + 1)), senders[s], receivers[r], Amount(ref rng, style), label);
    }

    /// <summary>
    /// Groups of accounts joined by bipartite layers, layer after layer in consecutive slices of the span: the first
    /// group pays amounts in the instance's style, every later account passes on what it received, less a fee,
    /// split over its payees.
    /// </summary>
    private void Stack(ref SeededRandom rng, TypologyShape shape, byte label)
    {
        var layers = rng.Next(shape.Hops);
        var taken = new HashSet<int>();
        var groups = new int[layers + 1][];
        for (var g = 0; g <= layers; g++)
            groups[g] = Accounts(ref rng, rng.Next(shape.Accounts), shape.FreshAccounts, taken);
        var span = rng.NextInt64(shape.SpanMs);
        var time = Place(ref rng, span);
        var style = StyleOf(ref rng, shape);
        var received = new long[groups[0].Length];
        for (var layer = 0; layer < layers; layer++)
        {
            var (senders, receivers) = (groups[layer], groups[layer + 1]);
            var edges = Edges(ref rng, senders.Length, receivers.Length);
            var next = new long[receivers.Length];
            var from = span * layer / layers;
            var slice = span / layers;
            for (var s = 0; s < senders.Length; s++)
            {
                var payees = edges.FindAll(e => e.From == s);
                var parts = layer == 0 ? null : Split(ref rng, Less(ref rng, received[s], shape.Fee), payees.Count);
                for (var p = 0; p < payees.Count; p++)
                {
                    var cents = parts?[p] ?? Amount(ref rng, style);
                    next[payees[p].To] += cents;
                    Transfer(ref rng, time.At(from + rng.NextInt64(slice)), senders[s], receivers[payees[p].To], cents, label);
                }
            }

            received = next;
        }
    }

    /// <summary>
    /// Senders pay a mule within the span; after a delay of minutes to hours the mule sends on what it got less its
    /// cut, to the next mule of a chain of 1 to 3, and the last mule to an account or, with the merchant share, to a
    /// crypto or money-transfer merchant.
    /// </summary>
    private void MulePassThrough(ref SeededRandom rng, TypologyShape shape, byte label)
    {
        var taken = new HashSet<int>();
        var mules = Accounts(ref rng, rng.Next(shape.Hops), shape.FreshAccounts, taken);
        var senders = Accounts(ref rng, rng.Next(shape.Accounts), 0, taken);
        var span = rng.NextInt64(shape.SpanMs);
        var delays = new long[mules.Length];
        for (var i = 0; i < delays.Length; i++)
            delays[i] = rng.NextInt64(shape.DelayMs);
        var time = Place(ref rng, span + delays.Sum());
        var style = StyleOf(ref rng, shape);
        var held = 0L;
        var at = 0L;
        foreach (var sender in senders)
        {
            var paid = rng.NextInt64(span + 1);
            at = Math.Max(at, paid);
            var cents = Amount(ref rng, style);
            held += cents;
            Transfer(ref rng, time.At(paid), sender, mules[0], cents, label);
        }

        for (var m = 0; m < mules.Length; m++)
        {
            at += delays[m];
            held = Less(ref rng, held, shape.Fee);
            if (m + 1 < mules.Length)
                Transfer(ref rng, time.At(at), mules[m], mules[m + 1], held, label);
            else if (rng.Chance(shape.MerchantShare))
                Send(ref rng, time.At(at), mules[m], population.MerchantOf(ref rng, LaunderingCategories), DestinationType.Merchant, held, label);
            else
                Transfer(ref rng, time.At(at), mules[m], Accounts(ref rng, 1, shape.FreshAccounts, taken)[0], held, label);
        }
    }

    /// <summary>
    /// Places an instance that lasts <paramref name="extentMs"/>: it starts on its origin day at a time drawn from the
    /// daily rhythm, and if the history ends before the instance would, its offsets are compressed to end within it.
    /// </summary>
    private Timeline Place(ref SeededRandom rng, long extentMs)
    {
        var room = bounds.HistoryEndMs - 1 - clock.StartMs;
        var scale = extentMs > room ? room / (double)extentMs : 1.0;
        var latest = Math.Min(clock.StartMs + DayClock.DayMs - 1, bounds.HistoryEndMs - 1 - Math.Min(extentMs, room));
        var start = clock.SampleTime(ref rng, 0);
        if (start > latest)
            start = clock.StartMs + rng.NextInt64(latest - clock.StartMs + 1);
        return new Timeline(start, scale);
    }

    /// <summary><paramref name="count"/> strictly increasing offsets from 0 to <paramref name="spanMs"/>, unevenly spaced.</summary>
    private static long[] Increasing(ref SeededRandom rng, long spanMs, int count)
    {
        var offsets = new long[count];
        if (count == 1)
            return offsets;
        var gaps = new double[count - 1];
        var total = 0.0;
        for (var i = 0; i < gaps.Length; i++)
            total += gaps[i] = 0.2 + rng.NextDouble(); // no gap under a sixth of the mean, so no two offsets meet
        var sum = 0.0;
        for (var i = 1; i < count; i++)
            offsets[i] = (long)(spanMs * ((sum += gaps[i - 1]) / total));
        offsets[^1] = spanMs;
        return offsets;
    }

    /// <summary>The transfers between two groups: each pair with one probability, then every account in at least one.</summary>
    private static List<(int From, int To)> Edges(ref SeededRandom rng, int senders, int receivers)
    {
        var density = 0.3 + 0.7 * rng.NextDouble();
        var edges = new List<(int From, int To)>();
        var sends = new bool[senders];
        var receives = new bool[receivers];
        for (var s = 0; s < senders; s++)
        {
            for (var r = 0; r < receivers; r++)
            {
                if (rng.Chance(density))
                {
                    edges.Add((s, r));
                    sends[s] = receives[r] = true;
                }
            }
        }

        for (var s = 0; s < senders; s++)
        {
            if (!sends[s])
            {
                var r = rng.Next(receivers);
                edges.Add((s, r));
                receives[r] = true;
            }
        }

        for (var r = 0; r < receivers; r++)
        {
            if (!receives[r])
                edges.Add((rng.Next(senders), r));
        }

        return edges;
    }

    /// <summary>An amount cut into <paramref name="count"/> uneven parts of at least R$ 1 each that add up to it (when it can).</summary>
    private static long[] Split(ref SeededRandom rng, long cents, int count)
    {
        var weights = new double[count];
        var total = 0.0;
        for (var i = 0; i < count; i++)
            total += weights[i] = 0.5 + rng.NextDouble();
        var parts = new long[count];
        var left = cents;
        for (var i = 0; i < count - 1; i++)
        {
            parts[i] = Math.Max(100, (long)(cents * weights[i] / total));
            left -= parts[i];
        }

        parts[^1] = Math.Max(100, left);
        return parts;
    }

    private static AmountStyle StyleOf(ref SeededRandom rng, TypologyShape shape) =>
        new(shape.AmountCents, rng.Chance(shape.RoundShare), rng.Chance(shape.NearThresholdShare));

    /// <summary>
    /// An amount in an instance's style: just under the reporting threshold, or log-uniform in the shape's range; a
    /// round figure is cut to whole hundreds of reais from R$ 1,000 up, to whole tens from R$ 10, else to whole reais.
    /// </summary>
    private static long Amount(ref SeededRandom rng, AmountStyle style)
    {
        var cents = style.NearThreshold
            ? NearThresholdCents + rng.NextInt64(ReportingThresholdCents - NearThresholdCents)
            : (long)rng.LogUniform(style.Range.Min, style.Range.Max + 1);
        if (style.Round)
            cents = cents >= 100_000 ? cents / 10_000 * 10_000 : cents >= 1_000 ? cents / 1_000 * 1_000 : cents / 100 * 100;
        return Math.Max(cents, 100);
    }

    /// <summary>What an intermediate passes on of <paramref name="cents"/> after keeping a fee drawn from <paramref name="fee"/>.</summary>
    private static long Less(ref SeededRandom rng, long cents, ShapeRange<double> fee) =>
        Math.Max(100, (long)Math.Round(cents * (1 - rng.NextDouble(fee))));

    /// <summary>How an instance chooses its amounts: from which range, whether round, whether just under R$ 10,000.</summary>
    private readonly record struct AmountStyle(ShapeRange<long> Range, bool Round, bool NearThreshold);

    /// <summary>Where an instance's offsets land: from its start, scaled down when the history ends first.</summary>
    private readonly record struct Timeline(long StartMs, double Scale)
    {
        public long At(long offsetMs) => StartMs + (long)(offsetMs * Scale);
    }
}
