using Amlfs.OfflineStore;

namespace Amlfs.Synthetic;

/// <summary>
/// Adds a day's laundering patterns on top of its normal activity. The number of instances of each typology is
/// drawn from the day's stream for that typology, and each instance from its own stream, so an instance does not
/// change when the rates of other typologies do. Every instance fits inside the UTC day.
/// </summary>
internal sealed class TypologyInjector(
    Population population, DayClock clock, List<RawTransaction> rows, long seed, int dayIndex)
{
    private const long Minute = 60_000;
    private const long Hour = 60 * Minute;

    private static readonly int[] BurstCategories = Categories(
        MerchantCategories.Marketplace, MerchantCategories.Electronics, MerchantCategories.Gambling);

    private static readonly int[] LaunderingCategories = Categories(
        MerchantCategories.MoneyTransfer, MerchantCategories.CryptoExchange);

    private static readonly int[] TakeoverCategories = Categories(
        MerchantCategories.MoneyTransfer, MerchantCategories.CryptoExchange, MerchantCategories.Electronics);

    private static readonly int[] NightCategories = Categories(
        MerchantCategories.Gambling, MerchantCategories.CryptoExchange, MerchantCategories.MoneyTransfer);

    private static readonly int[] HighValueCategories = Categories(
        MerchantCategories.Electronics, MerchantCategories.Travel, MerchantCategories.MoneyTransfer,
        MerchantCategories.CryptoExchange);

    private static readonly int[] FanInCategories = Categories(
        MerchantCategories.Marketplace, MerchantCategories.Gambling, MerchantCategories.CryptoExchange,
        MerchantCategories.MoneyTransfer);

    private static readonly string[] ForeignCountries = ["PT", "US", "NG", "RO", "CN", "RU"];

    private int Customers => population.Customers.Length;

    public void InjectAll(TypologyRates rates)
    {
        for (var t = 0; t < Typologies.All.Count; t++)
        {
            var countRng = SeededRandom.For(seed, RandomPurpose.TypologyCount, dayIndex, t);
            var count = countRng.Poisson(rates.Of(Typologies.All[t]) * Customers / 1_000.0);
            for (var k = 0; k < count; k++)
            {
                var rng = SeededRandom.For(seed, RandomPurpose.TypologyInstance, (long)dayIndex * 16 + t, k);
                var label = (byte)(t + 1);
                switch (Typologies.All[t])
                {
                    case Typologies.Burst: Burst(ref rng, label); break;
                    case Typologies.Structuring: Structuring(ref rng, label); break;
                    case Typologies.MultipleIps: MultipleIps(ref rng, label); break;
                    case Typologies.NightActivity: NightActivity(ref rng, label); break;
                    case Typologies.HighValue: HighValue(ref rng, label); break;
                    case Typologies.MerchantFanIn: MerchantFanIn(ref rng, label); break;
                    case Typologies.SharedIp: SharedIp(ref rng, label); break;
                }
            }
        }
    }

    /// <summary>20 to 60 payments within 15 to 55 seconds: card testing with tiny amounts, or a scripted pix drain.</summary>
    private void Burst(ref SeededRandom rng, byte label)
    {
        var c = rng.Next(Customers);
        var count = rng.Next(20, 61);
        var span = rng.Next(15_000, 55_001);
        var start = Start(ref rng, span);
        var cardTesting = rng.Chance(0.5);
        var merchant = population.MerchantOf(ref rng, BurstCategories);
        var ip = HomeIp(ref rng, c);
        for (var i = 0; i < count; i++)
        {
            var cents = cardTesting ? rng.Next(100, 5_001) : (long)rng.LogUniform(5_000, 90_000);
            var m = rng.Chance(0.8) ? merchant : population.MerchantOf(ref rng, BurstCategories);
            Add(ref rng, start + rng.NextInt64(span), c, m, cents, ip, cardTesting ? DayGenerator.Card : DayGenerator.Pix, label);
        }
    }

    /// <summary>5 to 15 amounts in [R$ 9,000, R$ 10,000) to one money-transfer or crypto merchant over 2 to 8 hours.</summary>
    private void Structuring(ref SeededRandom rng, byte label)
    {
        var c = rng.Next(Customers);
        var count = rng.Next(5, 16);
        var span = rng.NextInt64(6 * Hour) + 2 * Hour;
        var start = Start(ref rng, span);
        var merchant = population.MerchantOf(ref rng, LaunderingCategories);
        for (var i = 0; i < count; i++)
        {
            long cents = 900_000 + rng.Next(100_000);
            if (rng.Chance(0.3))
                cents = cents / 5_000 * 5_000; // round figures such as R$ 9,500.00
            var channel = rng.Chance(0.7) ? DayGenerator.Pix : DayGenerator.Ted;
            Add(ref rng, start + rng.NextInt64(span), c, merchant, cents, HomeIp(ref rng, c), channel, label);
        }
    }

    /// <summary>8 to 20 transfers from 5 to 12 new addresses (some abroad) and a new device within 10 to 50 minutes.</summary>
    private void MultipleIps(ref SeededRandom rng, byte label)
    {
        var c = rng.Next(Customers);
        var count = rng.Next(8, 21);
        var distinct = rng.Next(5, Math.Min(count, 12) + 1);
        var span = rng.NextInt64(40 * Minute) + 10 * Minute;
        var start = Start(ref rng, span);
        var device = Population.NewDevice(ref rng);
        var ips = new List<(string Ip, string Country)>(distinct);
        while (ips.Count < distinct)
        {
            var foreign = rng.Chance(0.5);
            var ip = foreign ? IpAddresses.Foreign(ref rng) : IpAddresses.Mobile(ref rng);
            var country = foreign ? ForeignCountries[rng.Next(ForeignCountries.Length)] : population.Customers[c].Country;
            if (!ips.Exists(x => x.Ip == ip))
                ips.Add((ip, country));
        }

        for (var i = 0; i < count; i++)
        {
            var (ip, country) = i < distinct ? ips[i] : ips[rng.Next(distinct)];
            var merchant = population.MerchantOf(ref rng, TakeoverCategories);
            var cents = (long)rng.LogUniform(20_000, 500_000);
            var channel = rng.Chance(0.8) ? DayGenerator.Pix : DayGenerator.Ted;
            Add(ref rng, start + rng.NextInt64(span), c, merchant, cents, ip, channel, label, device, country);
        }
    }

    /// <summary>10 to 25 payments to gambling, crypto or transfer merchants within 1 to 3 hours of local night.</summary>
    private void NightActivity(ref SeededRandom rng, byte label)
    {
        var night = clock.NightSlots;
        if (night.Length == 0)
            return;
        var c = rng.Next(Customers);
        var count = rng.Next(10, 26);
        var width = Math.Min(rng.Next(4, 13), night.Length);
        var first = rng.Next(night.Length - width + 1);
        var ip = HomeIp(ref rng, c);
        for (var i = 0; i < count; i++)
        {
            var slot = night[first + rng.Next(width)];
            var timestamp = clock.SlotStartMs(slot) + rng.NextInt64(DayClock.SlotMs);
            var merchant = population.MerchantOf(ref rng, NightCategories);
            Add(ref rng, timestamp, c, merchant, (long)rng.LogUniform(10_000, 300_000), ip, DayGenerator.Pix, label);
        }
    }

    /// <summary>1 to 3 payments of R$ 15,000 to R$ 500,000 at the customer's usual hours.</summary>
    private void HighValue(ref SeededRandom rng, byte label)
    {
        var c = rng.Next(Customers);
        var count = rng.Next(1, 4);
        var merchant = population.MerchantOf(ref rng, HighValueCategories);
        for (var i = 0; i < count; i++)
        {
            var timestamp = clock.SampleTime(ref rng, population.Customers[c].RhythmShiftHours);
            var cents = (long)rng.LogUniform(1_500_000, 50_000_000);
            if (rng.Chance(0.6))
                cents = cents / 10_000 * 10_000; // whole hundreds of reais
            var channel = rng.Chance(0.6) ? DayGenerator.Ted : DayGenerator.Pix;
            Add(ref rng, timestamp, c, merchant, cents, HomeIp(ref rng, c), channel, label);
        }
    }

    /// <summary>20 to 60 customers new to a merchant each pay it a similar amount within 10 to 45 minutes.</summary>
    private void MerchantFanIn(ref SeededRandom rng, byte label)
    {
        var merchant = population.MerchantOf(ref rng, FanInCategories);
        var count = Math.Min(rng.Next(20, 61), Customers);
        var span = rng.NextInt64(35 * Minute) + 10 * Minute;
        var start = Start(ref rng, span);
        var typical = rng.LogUniform(20_000, 200_000);
        var chosen = new HashSet<int>();
        for (var attempt = 0; chosen.Count < count && attempt < 20 * count; attempt++)
        {
            var c = rng.Next(Customers);
            if (Array.IndexOf(population.Habitual[c], merchant) >= 0 || !chosen.Add(c))
                continue;
            var cents = (long)Math.Round(typical * (0.95 + 0.1 * rng.NextDouble()));
            Add(ref rng, start + rng.NextInt64(span), c, merchant, cents, HomeIp(ref rng, c), DayGenerator.Pix, label);
        }
    }

    /// <summary>10 to 30 customers pay from one address within 30 minutes to 3 hours; half the time from one device too.</summary>
    private void SharedIp(ref SeededRandom rng, byte label)
    {
        var ip = rng.Chance(0.5) ? IpAddresses.Foreign(ref rng) : IpAddresses.Mobile(ref rng);
        var sharedDevice = rng.Chance(0.5) ? Population.NewDevice(ref rng) : null;
        var count = Math.Min(rng.Next(10, 31), Customers);
        var span = rng.NextInt64(150 * Minute) + 30 * Minute;
        var start = Start(ref rng, span);
        var chosen = new HashSet<int>();
        for (var attempt = 0; chosen.Count < count && attempt < 20 * count; attempt++)
        {
            var c = rng.Next(Customers);
            if (!chosen.Add(c))
                continue;
            var payments = rng.Chance(0.2) ? 2 : 1;
            for (var p = 0; p < payments; p++)
            {
                var habitual = population.Habitual[c];
                var merchant = habitual.Length > 0 && rng.Chance(0.5)
                    ? habitual[0]
                    : population.MerchantOf(ref rng, LaunderingCategories);
                var cents = (long)rng.LogUniform(5_000, 200_000);
                Add(ref rng, start + rng.NextInt64(span), c, merchant, cents, ip, DayGenerator.Pix, label, sharedDevice);
            }
        }
    }

    /// <summary>A start such that [start, start + span) lies inside the day.</summary>
    private long Start(ref SeededRandom rng, long span) => clock.StartMs + rng.NextInt64(DayClock.DayMs - span);

    private string HomeIp(ref SeededRandom rng, int customer)
    {
        var ips = population.Customers[customer].HomeIps;
        return ips[rng.Next(ips.Count)];
    }

    private void Add(
        ref SeededRandom rng, long timestampMs, int customer, int merchant, long cents, string ip, byte channel,
        byte label, string? device = null, string? country = null)
    {
        var profile = population.Customers[customer];
        rows.Add(new RawTransaction
        {
            TimestampMs = timestampMs,
            AmountCents = Math.Max(cents, 100),
            Customer = customer,
            Merchant = merchant,
            IpAddress = ip,
            DeviceId = device ?? profile.DeviceId,
            Country = country ?? profile.Country,
            Channel = channel,
            PaymentFormat = DayGenerator.PaymentFormatOf(channel, ref rng),
            Typology = label,
        });
    }

    private static int[] Categories(params string[] names) => names.Select(CategorySpec.IndexOf).ToArray();
}
