using Amlfs.OfflineStore;
using Amlfs.Transactions;

namespace Amlfs.Synthetic;

/// <summary>
/// Adds laundering patterns on top of a day's normal activity. An instance belongs to the UTC day it starts on, its
/// origin day: the number of instances of a typology on a day is drawn from that day's stream for the typology, and
/// each instance from its own stream, so an instance changes neither with the rates of other typologies nor with the
/// day being generated. The typologies of one customer's payments fit inside their origin day; the graph typologies
/// may run on for days, so a day replays the instances of the days before it that can reach it and keeps the
/// transactions that fall on it. An instance that would outlast the history is compressed in time to end within it.
/// </summary>
/// <param name="population">The customers and merchants instances draw from.</param>
/// <param name="settings">The rate and shape of every typology.</param>
/// <param name="clock">The origin day.</param>
/// <param name="rows">Receives the transactions.</param>
/// <param name="seed">The run's seed.</param>
/// <param name="originDay">The day the instances start on, 0 for the first day of the history.</param>
/// <param name="bounds">Which transactions to keep (those of the day being generated) and where the history ends.</param>
internal sealed partial class TypologyInjector(
    Population population, TypologySettings settings, DayClock clock, List<RawTransaction> rows, long seed,
    int originDay, TypologyInjector.Bounds bounds)
{
    private const long Minute = 60_000;
    private const long Hour = 60 * Minute;

    /// <summary>Amounts at or above R$ 10,000 are reported to the authorities (COAF), so structuring stays under it.</summary>
    private const long ReportingThresholdCents = 1_000_000;

    /// <summary>Where "just under the reporting threshold" begins: R$ 9,000.</summary>
    private const long NearThresholdCents = 900_000;

    private static readonly int[] LaunderingCategories = Categories(
        MerchantCategories.MoneyTransfer, MerchantCategories.CryptoExchange);

    private int Customers => population.Customers.Length;

    /// <summary>Adds to <paramref name="rows"/> every typology transaction that falls on day <paramref name="dayIndex"/>.</summary>
    public static void InjectDay(
        Population population, SyntheticOptions options, TimeZoneInfo zone, DayClock day, int dayIndex, List<RawTransaction> rows)
    {
        var settings = options.Laundering;
        var historyEnd = day.StartMs + (options.Days - dayIndex) * DayClock.DayMs;
        var bounds = new Bounds(day.StartMs, day.StartMs + DayClock.DayMs, historyEnd);
        var reach = new long[Typologies.All.Count];
        for (var t = 0; t < reach.Length; t++)
            reach[t] = settings[t].Rate > 0 ? ReachMs(Typologies.All[t], settings[t]) : 0;
        var lookback = (int)((reach.Max() + DayClock.DayMs - 1) / DayClock.DayMs);
        for (var origin = Math.Max(0, dayIndex - lookback); origin <= dayIndex; origin++)
        {
            // An instance starts before the end of its origin day, so it reaches this day only if it lasts longer
            // than the whole days in between.
            var between = (dayIndex - origin - 1L) * DayClock.DayMs;
            var clock = origin == dayIndex ? day : new DayClock(options.Start.AddDays(origin), zone);
            var injector = new TypologyInjector(population, settings, clock, rows, options.Seed, origin, bounds);
            for (var t = 0; t < reach.Length; t++)
            {
                if (reach[t] > between)
                    injector.InjectAll(t);
            }
        }
    }

    /// <summary>Instance <paramref name="instance"/> of the typology at <paramref name="typology"/> in <see cref="Typologies.All"/>.</summary>
    public void Inject(int typology, int instance)
    {
        var shape = settings[typology];
        var rng = SeededRandom.For(seed, RandomPurpose.TypologyInstance, originDay, ((long)typology << 32) | (uint)instance);
        var label = (byte)(typology + 1);
        switch (Typologies.All[typology])
        {
            case Typologies.Burst: Burst(ref rng, shape, label); break;
            case Typologies.Structuring: Structuring(ref rng, shape, label); break;
            case Typologies.MultipleIps: MultipleIps(ref rng, shape, label); break;
            case Typologies.NightActivity: NightActivity(ref rng, shape, label); break;
            case Typologies.HighValue: HighValue(ref rng, shape, label); break;
            case Typologies.MerchantFanIn: MerchantFanIn(ref rng, shape, label); break;
            case Typologies.SharedIp: SharedIp(ref rng, shape, label); break;
            case Typologies.FanIn: Fan(ref rng, shape, label, inward: true); break;
            case Typologies.FanOut: Fan(ref rng, shape, label, inward: false); break;
            case Typologies.Cycle: Cycle(ref rng, shape, label); break;
            case Typologies.ScatterGather: ScatterGather(ref rng, shape, label); break;
            case Typologies.GatherScatter: GatherScatter(ref rng, shape, label); break;
            case Typologies.Bipartite: Bipartite(ref rng, shape, label); break;
            case Typologies.Stack: Stack(ref rng, shape, label); break;
            case Typologies.MulePassThrough: MulePassThrough(ref rng, shape, label); break;
        }
    }

    /// <summary>How long after its start an instance of <paramref name="typology"/> may still add a transaction.</summary>
    private static long ReachMs(string typology, TypologyShape shape) => typology switch
    {
        Typologies.MulePassThrough => shape.SpanMs.Max + shape.Hops.Max * shape.DelayMs.Max,
        _ when Typologies.Graph.Contains(typology) => shape.SpanMs.Max,
        _ => 0, // placed inside the origin day
    };

    private void InjectAll(int typology)
    {
        var countRng = SeededRandom.For(seed, RandomPurpose.TypologyCount, originDay, typology);
        var count = countRng.Poisson(settings[typology].Rate * Customers / 1_000.0);
        for (var k = 0; k < count; k++)
            Inject(typology, k);
    }

    /// <summary>
    /// <paramref name="count"/> distinct accounts, none of them in <paramref name="taken"/> (which receives them): customers,
    /// each a fresh account instead with probability <paramref name="freshShare"/>.
    /// </summary>
    private int[] Accounts(ref SeededRandom rng, int count, double freshShare, HashSet<int> taken)
    {
        var accounts = new int[count];
        for (var i = 0; i < count; i++)
        {
            int account;
            var attempt = 0;
            do
            {
                // After a few collisions the population is too small for the instance; fresh accounts are plenty.
                account = attempt++ < 8 && !rng.Chance(freshShare)
                    ? rng.Next(Customers)
                    : Customers + rng.Next(population.FreshAccounts);
            }
            while (!taken.Add(account));
            accounts[i] = account;
        }

        return accounts;
    }

    /// <summary>A transfer between accounts, from the sender's home (a customer) or phone (a fresh account).</summary>
    private void Transfer(ref SeededRandom rng, long timestampMs, int from, int to, long cents, byte label) =>
        Send(ref rng, timestampMs, from, to, DestinationType.Account, cents, label);

    /// <summary>Money an account sends by pix, or by ted (more often for large amounts).</summary>
    private void Send(
        ref SeededRandom rng, long timestampMs, int from, int destination, DestinationType kind, long cents, byte label)
    {
        var channel = (cents >= 500_000 && rng.Chance(0.4)) || rng.Chance(0.1) ? DayGenerator.Ted : DayGenerator.Pix;
        if (from < Customers)
        {
            Add(ref rng, timestampMs, from, destination, kind, cents, HomeIp(ref rng, from), channel, label);
            return;
        }

        var fresh = SeededRandom.For(seed, RandomPurpose.FreshAccount, from);
        var ip = IpAddresses.Mobile(ref fresh);
        Add(ref rng, timestampMs, from, destination, kind, cents, ip, channel, label, Population.NewDevice(ref fresh), "BR");
    }

    private void Pay(
        ref SeededRandom rng, long timestampMs, int customer, int merchant, long cents, string ip, byte channel,
        byte label, string? device = null, string? country = null) =>
        Add(ref rng, timestampMs, customer, merchant, DestinationType.Merchant, cents, ip, channel, label, device, country);

    private void Add(
        ref SeededRandom rng, long timestampMs, int account, int destination, DestinationType kind, long cents,
        string ip, byte channel, byte label, string? device = null, string? country = null)
    {
        var paymentFormat = DayGenerator.PaymentFormatOf(channel, ref rng);
        if (timestampMs < bounds.KeepFromMs || timestampMs >= bounds.KeepUntilMs)
            return; // another day's part of the instance: that day keeps it
        var profile = account < Customers ? population.Customers[account] : null;
        rows.Add(new RawTransaction
        {
            TimestampMs = timestampMs,
            AmountCents = Math.Max(cents, 100),
            Customer = account,
            Merchant = destination,
            Destination = kind,
            IpAddress = ip,
            DeviceId = device ?? profile!.DeviceId,
            Country = country ?? profile!.Country,
            Channel = channel,
            PaymentFormat = paymentFormat,
            Typology = label,
        });
    }

    private string HomeIp(ref SeededRandom rng, int customer)
    {
        var ips = population.Customers[customer].HomeIps;
        return ips[rng.Next(ips.Count)];
    }

    private static int[] Categories(params string[] names) => names.Select(CategorySpec.IndexOf).ToArray();

    /// <summary>
    /// The transactions an injector keeps, those in [<paramref name="KeepFromMs"/>, <paramref name="KeepUntilMs"/>),
    /// and the end of the history, which no instance passes.
    /// </summary>
    internal readonly record struct Bounds(long KeepFromMs, long KeepUntilMs, long HistoryEndMs);
}
