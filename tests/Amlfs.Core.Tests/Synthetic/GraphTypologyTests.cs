using Amlfs.OfflineStore;
using Amlfs.Synthetic;
using Amlfs.Transactions;

namespace Amlfs.Core.Tests.Synthetic;

/// <summary>
/// Instances of the graph typologies, one at a time, straight from the injector: each has the shape its typology
/// names, drawn from the ranges of its settings, and the instances of a typology vary.
/// </summary>
public sealed class GraphTypologyTests
{
    private const int Count = 120;
    private const long Day = DayClock.DayMs;

    private static readonly SyntheticOptions Options = new() { Customers = 2_000, Merchants = 100, Days = 30, Seed = 17 };
    private static readonly Population Population = Population.Build(Options);
    private static readonly DayClock Clock = new(Options.Start, TimeZoneInfo.FindSystemTimeZoneById(Options.TimeZone));
    private static readonly TypologySettings Defaults = TypologySettings.Default;

    public static TheoryData<string> Graph => [.. Typologies.Graph];

    [Theory]
    [MemberData(nameof(Graph))]
    public void Every_transaction_of_an_instance_carries_its_typology_and_falls_in_its_window(string typology)
    {
        var label = (byte)(Typologies.All.ToList().IndexOf(typology) + 1);
        var shape = Defaults[typology];
        var reach = shape.SpanMs.Max + shape.Hops.Max * shape.DelayMs.Max;

        foreach (var rows in Instances(typology))
        {
            Assert.NotEmpty(rows);
            Assert.All(rows, r => Assert.Equal(label, r.Typology));
            Assert.All(rows, r => Assert.InRange(r.TimestampMs, Clock.StartMs, Clock.StartMs + Day + reach));
            Assert.InRange(rows.Max(r => r.TimestampMs) - rows.Min(r => r.TimestampMs), 0, reach);
        }
    }

    [Fact]
    public void A_cycle_is_a_closed_walk_of_transfers_each_after_the_one_before_with_amounts_shrinking_by_fees()
    {
        var shape = Defaults[Typologies.Cycle];

        foreach (var rows in Instances(Typologies.Cycle))
        {
            var hops = rows.OrderBy(r => r.TimestampMs).ToList();
            Assert.InRange(hops.Count, shape.Hops.Min, shape.Hops.Max);
            Assert.All(hops, h => Assert.Equal(DestinationType.Account, h.Destination));
            Assert.Equal(hops.Count, hops.Select(h => h.Customer).Distinct().Count());
            for (var i = 0; i < hops.Count; i++)
            {
                var next = hops[(i + 1) % hops.Count];
                Assert.Equal(hops[i].Merchant, next.Customer); // the last hop returns to the first account
                if (i + 1 < hops.Count)
                {
                    Assert.True(hops[i].TimestampMs < next.TimestampMs);
                    Assert.InRange(next.AmountCents, (long)(hops[i].AmountCents * (1 - shape.Fee.Max)), hops[i].AmountCents);
                }
            }

            Assert.InRange(hops[^1].TimestampMs - hops[0].TimestampMs, shape.SpanMs.Min, shape.SpanMs.Max);
        }
    }

    [Fact]
    public void A_scatter_gather_source_pays_every_intermediate_and_each_pays_one_destination_after_it_was_paid()
    {
        var shape = Defaults[Typologies.ScatterGather];
        var merchantEnds = 0;

        foreach (var rows in Instances(Typologies.ScatterGather))
        {
            var scattered = rows.Where(r => r.Destination == DestinationType.Account && rows.Any(o => o.Customer == r.Merchant)).ToList();
            var gathered = rows.Except(scattered).ToList();
            var intermediates = scattered.Select(r => r.Merchant).ToList();

            Assert.Single(scattered.Select(r => r.Customer).Distinct());
            Assert.InRange(intermediates.Count, shape.Accounts.Min, shape.Accounts.Max);
            Assert.Equal(intermediates.Count, intermediates.Distinct().Count());
            Assert.Equal(intermediates.Order(), gathered.Select(r => r.Customer).Order());
            Assert.Single(gathered.Select(r => (r.Merchant, r.Destination)).Distinct());
            foreach (var paid in scattered)
            {
                var passed = gathered.Single(r => r.Customer == paid.Merchant);
                Assert.True(passed.TimestampMs > paid.TimestampMs);
                Assert.InRange(passed.AmountCents, (long)(paid.AmountCents * (1 - shape.Fee.Max)), paid.AmountCents);
            }

            merchantEnds += gathered[0].Destination == DestinationType.Merchant ? 1 : 0;
        }

        Assert.InRange(merchantEnds, 1, Count - 1);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_fan_has_one_hub_and_a_degree_within_the_configured_range(bool inward)
    {
        var typology = inward ? Typologies.FanIn : Typologies.FanOut;
        var settings = Defaults.With(typology, Defaults[typology] with { Accounts = new(3, 7) });
        var degrees = new HashSet<int>();

        foreach (var rows in Instances(typology, settings))
        {
            var hubs = rows.Select(r => inward ? r.Merchant : r.Customer).Distinct().ToList();
            var degree = rows.Select(r => inward ? r.Customer : r.Merchant).Distinct().Count();

            Assert.Single(hubs);
            Assert.InRange(degree, 3, 7);
            Assert.All(rows, r => Assert.Equal(DestinationType.Account, r.Destination));
            degrees.Add(degree);
        }

        Assert.Equal([3, 4, 5, 6, 7], degrees.Order());
    }

    [Fact]
    public void A_gather_scatter_hub_pays_its_destinations_after_every_source_paid_it()
    {
        var shape = Defaults[Typologies.GatherScatter];

        foreach (var rows in Instances(Typologies.GatherScatter))
        {
            var hub = rows.Select(r => r.Customer).Distinct().Single(c => rows.Any(r => r.Destination == DestinationType.Account && r.Merchant == c));
            var gathered = rows.Where(r => r.Customer != hub).ToList();
            var scattered = rows.Where(r => r.Customer == hub).ToList();

            Assert.All(gathered, r => Assert.Equal(hub, r.Merchant));
            Assert.InRange(gathered.Count, shape.Accounts.Min, shape.Accounts.Max);
            Assert.InRange(scattered.Count, shape.Accounts.Min, shape.Accounts.Max);
            Assert.True(gathered.Max(r => r.TimestampMs) < scattered.Min(r => r.TimestampMs));
            Assert.True(scattered.Sum(r => r.AmountCents) <= gathered.Sum(r => r.AmountCents) + 100 * scattered.Count);
        }
    }

    [Fact]
    public void A_bipartite_instance_joins_two_disjoint_groups_in_which_every_account_takes_part()
    {
        var shape = Defaults[Typologies.Bipartite];

        foreach (var rows in Instances(Typologies.Bipartite))
        {
            var senders = rows.Select(r => r.Customer).ToHashSet();
            var receivers = rows.Select(r => r.Merchant).ToHashSet();

            Assert.Empty(senders.Intersect(receivers));
            Assert.InRange(senders.Count, shape.Accounts.Min, shape.Accounts.Max);
            Assert.InRange(receivers.Count, shape.Accounts.Min, shape.Accounts.Max);
            Assert.Equal(rows.Count, rows.Select(r => (r.Customer, r.Merchant)).Distinct().Count());
        }
    }

    [Fact]
    public void A_stack_is_bipartite_layers_one_after_another_passing_the_money_on()
    {
        var shape = Defaults[Typologies.Stack];

        foreach (var rows in Instances(Typologies.Stack))
        {
            // An account's layer is its distance from the accounts that only send.
            var receivers = rows.Select(r => r.Merchant).ToHashSet();
            var layerOf = rows.Where(r => !receivers.Contains(r.Customer)).Select(r => r.Customer).Distinct().ToDictionary(a => a, _ => 0);
            for (var changed = true; changed;)
            {
                changed = false;
                foreach (var r in rows.Where(r => layerOf.ContainsKey(r.Customer) && !layerOf.ContainsKey(r.Merchant)))
                {
                    layerOf[r.Merchant] = layerOf[r.Customer] + 1;
                    changed = true;
                }
            }

            var layers = rows.GroupBy(r => layerOf[r.Customer]).OrderBy(g => g.Key).ToList();
            Assert.InRange(layers.Count, shape.Hops.Min, shape.Hops.Max);
            Assert.All(rows, r => Assert.Equal(layerOf[r.Customer] + 1, layerOf[r.Merchant]));
            for (var i = 1; i < layers.Count; i++)
                Assert.True(layers[i - 1].Max(r => r.TimestampMs) <= layers[i].Min(r => r.TimestampMs));
            foreach (var account in layerOf.Keys.Where(a => layerOf[a] > 0 && layerOf[a] < layers.Count))
            {
                var received = rows.Where(r => r.Merchant == account).Sum(r => r.AmountCents);
                var sent = rows.Where(r => r.Customer == account).Sum(r => r.AmountCents);
                Assert.InRange(sent, (long)(received * (1 - shape.Fee.Max)) - 100, received + 100);
            }
        }
    }

    [Fact]
    public void A_mule_sends_most_of_what_it_received_on_after_a_delay_of_minutes_to_hours()
    {
        var shape = Defaults[Typologies.MulePassThrough];
        var endings = new HashSet<DestinationType>();

        foreach (var rows in Instances(Typologies.MulePassThrough))
        {
            var chain = rows.Where(r => rows.Count(o => o.Customer == r.Customer) == 1 && rows.Any(o => o.Destination == DestinationType.Account && o.Merchant == r.Customer)).ToList();
            Assert.InRange(chain.Count, shape.Hops.Min, shape.Hops.Max);
            foreach (var sent in chain)
            {
                var incoming = rows.Where(r => r.Destination == DestinationType.Account && r.Merchant == sent.Customer).ToList();
                var received = incoming.Sum(r => r.AmountCents);
                var delay = sent.TimestampMs - incoming.Max(r => r.TimestampMs);

                Assert.InRange(delay, shape.DelayMs.Min, shape.DelayMs.Max);
                Assert.InRange(sent.AmountCents, (long)(received * (1 - shape.Fee.Max)), (long)(received * (1 - shape.Fee.Min)) + 1);
            }

            endings.Add(rows.MaxBy(r => r.TimestampMs).Destination);
        }

        Assert.Equal([DestinationType.Merchant, DestinationType.Account], endings.Order());
    }

    [Fact]
    public void Structuring_pays_amounts_under_the_reporting_threshold_to_a_merchant_or_to_accounts()
    {
        var kinds = new HashSet<DestinationType>();

        foreach (var rows in Instances(Typologies.Structuring))
        {
            Assert.All(rows, r => Assert.InRange(r.AmountCents, 900_000, 999_999));
            Assert.Single(rows.Select(r => r.Customer).Distinct());
            Assert.Single(rows.Select(r => r.Destination).Distinct());
            kinds.Add(rows[0].Destination);
        }

        Assert.Equal([DestinationType.Merchant, DestinationType.Account], kinds.Order());
    }

    [Theory]
    [MemberData(nameof(Graph))]
    public void Instances_vary_in_size_amounts_timing_and_participants(string typology)
    {
        var instances = Instances(typology).ToList();
        var amounts = instances.SelectMany(rows => rows.Select(r => r.AmountCents)).ToList();
        var accounts = instances.SelectMany(rows => rows.Select(r => r.Customer)).ToList();
        var spans = instances.Select(rows => rows.Max(r => r.TimestampMs) - rows.Min(r => r.TimestampMs)).ToList();

        Assert.True(instances.Select(rows => rows.Count).Distinct().Count() > 2);
        Assert.Contains(amounts, a => a % 10_000 == 0);
        Assert.Contains(amounts, a => a % 100 != 0);
        Assert.Contains(amounts, a => a is >= 900_000 and < 1_000_000);
        Assert.InRange(accounts.Count(a => a >= Options.Customers) / (double)accounts.Count, 0.01, 0.5);
        Assert.True(spans.Max() > 10 * spans.Min());
        if (Defaults[typology].SpanMs.Max > Day)
            Assert.Contains(spans, s => s > Day);
    }

    [Fact]
    public void An_instance_that_would_outlast_the_history_is_compressed_to_end_within_it()
    {
        var end = Clock.StartMs + Day;
        var settings = Defaults.With(Typologies.Cycle, Defaults[Typologies.Cycle] with { SpanMs = new(3 * Day, 4 * Day) });

        foreach (var rows in Instances(Typologies.Cycle, settings, historyEndMs: end))
        {
            var hops = rows.OrderBy(r => r.TimestampMs).ToList();
            Assert.True(hops[^1].TimestampMs < end);
            Assert.Equal(hops[0].Customer, hops[^1].Merchant);
            for (var i = 1; i < hops.Count; i++)
                Assert.True(hops[i - 1].TimestampMs < hops[i].TimestampMs);
        }
    }

    [Fact]
    public void An_injector_keeps_only_the_transactions_of_its_day()
    {
        var all = Instances(Typologies.Stack).SelectMany(rows => rows).ToList();
        var rows = new List<RawTransaction>();
        var bounds = new TypologyInjector.Bounds(Clock.StartMs + Day, Clock.StartMs + 2 * Day, Clock.StartMs + Options.Days * Day);
        var injector = new TypologyInjector(Population, Defaults, Clock, rows, Options.Seed, 0, bounds);
        for (var k = 0; k < Count; k++)
            injector.Inject(Typologies.All.ToList().IndexOf(Typologies.Stack), k);

        Assert.NotEmpty(rows);
        Assert.Equal(all.Where(r => r.TimestampMs >= bounds.KeepFromMs && r.TimestampMs < bounds.KeepUntilMs), rows);
    }

    private static IEnumerable<List<RawTransaction>> Instances(
        string typology, TypologySettings? settings = null, long? historyEndMs = null)
    {
        var bounds = new TypologyInjector.Bounds(long.MinValue, long.MaxValue, historyEndMs ?? Clock.StartMs + Options.Days * Day);
        var index = Typologies.All.ToList().IndexOf(typology);
        for (var k = 0; k < Count; k++)
        {
            var rows = new List<RawTransaction>();
            new TypologyInjector(Population, settings ?? Defaults, Clock, rows, Options.Seed, 0, bounds).Inject(index, k);
            yield return rows;
        }
    }
}
