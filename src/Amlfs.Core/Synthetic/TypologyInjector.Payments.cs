namespace Amlfs.Synthetic;

/// <summary>
/// The typologies of one customer's payments (burst to shared IP): each instance lies inside its origin day. The
/// ranges quoted are the defaults of <c>typologies.yaml</c>.
/// </summary>
internal sealed partial class TypologyInjector
{
    private static readonly int[] BurstCategories = Categories(
        MerchantCategories.Marketplace, MerchantCategories.Electronics, MerchantCategories.Gambling);

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

    /// <summary>20 to 60 payments within 15 to 55 seconds: card testing with tiny amounts, or a scripted pix drain.</summary>
    private void Burst(ref SeededRandom rng, TypologyShape shape, byte label)
    {
        var c = rng.Next(Customers);
        var count = rng.Next(shape.Transactions);
        var span = rng.NextInt64(shape.SpanMs);
        var start = Start(ref rng, span);
        var cardTesting = rng.Chance(0.5);
        var merchant = population.MerchantOf(ref rng, BurstCategories);
        var ip = HomeIp(ref rng, c);
        for (var i = 0; i < count; i++)
        {
            var cents = cardTesting ? rng.Next(100, 5_001) : (long)rng.LogUniform(5_000, 90_000);
            var m = rng.Chance(0.8) ? merchant : population.MerchantOf(ref rng, BurstCategories);
            Pay(ref rng, start + rng.NextInt64(span), c, m, cents, ip, cardTesting ? DayGenerator.Card : DayGenerator.Pix, label);
        }
    }

    /// <summary>
    /// 5 to 15 amounts in [R$ 9,000, R$ 10,000) over 2 to 8 hours, some of them round figures: to one money-transfer
    /// or crypto merchant, or (the transfer variant) to one to three accounts, some of them fresh.
    /// </summary>
    private void Structuring(ref SeededRandom rng, TypologyShape shape, byte label)
    {
        var c = rng.Next(Customers);
        var count = rng.Next(shape.Transactions);
        var span = rng.NextInt64(shape.SpanMs);
        var start = Start(ref rng, span);
        var merchant = population.MerchantOf(ref rng, LaunderingCategories);
        var recipients = rng.Chance(shape.MerchantShare)
            ? null
            : Accounts(ref rng, rng.Next(1, 4), shape.FreshAccounts, [c]);
        for (var i = 0; i < count; i++)
        {
            var cents = rng.NextInt64(shape.AmountCents);
            if (rng.Chance(shape.RoundShare))
                cents = Math.Max(cents / 5_000 * 5_000, shape.AmountCents.Min); // round figures such as R$ 9,500.00
            var timestamp = start + rng.NextInt64(span);
            if (recipients is null)
            {
                var channel = rng.Chance(0.7) ? DayGenerator.Pix : DayGenerator.Ted;
                Pay(ref rng, timestamp, c, merchant, cents, HomeIp(ref rng, c), channel, label);
            }
            else
            {
                Transfer(ref rng, timestamp, c, recipients[rng.Next(recipients.Length)], cents, label);
            }
        }
    }

    /// <summary>8 to 20 transfers from 5 to 12 new addresses (some abroad) and a new device within 10 to 50 minutes.</summary>
    private void MultipleIps(ref SeededRandom rng, TypologyShape shape, byte label)
    {
        var c = rng.Next(Customers);
        var count = rng.Next(shape.Transactions);
        var distinct = Math.Min(rng.Next(shape.Addresses), count);
        var span = rng.NextInt64(shape.SpanMs);
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
            var cents = (long)rng.LogUniform(shape.AmountCents.Min, shape.AmountCents.Max);
            var channel = rng.Chance(0.8) ? DayGenerator.Pix : DayGenerator.Ted;
            Pay(ref rng, start + rng.NextInt64(span), c, merchant, cents, ip, channel, label, device, country);
        }
    }

    /// <summary>10 to 25 payments to gambling, crypto or transfer merchants within 1 to 3 hours of local night.</summary>
    private void NightActivity(ref SeededRandom rng, TypologyShape shape, byte label)
    {
        var night = clock.NightSlots;
        if (night.Length == 0)
            return;
        var c = rng.Next(Customers);
        var count = rng.Next(shape.Transactions);
        var width = (int)Math.Clamp(rng.NextInt64(shape.SpanMs) / DayClock.SlotMs, 1, night.Length);
        var first = rng.Next(night.Length - width + 1);
        var ip = HomeIp(ref rng, c);
        for (var i = 0; i < count; i++)
        {
            var slot = night[first + rng.Next(width)];
            var timestamp = clock.SlotStartMs(slot) + rng.NextInt64(DayClock.SlotMs);
            var merchant = population.MerchantOf(ref rng, NightCategories);
            var cents = (long)rng.LogUniform(shape.AmountCents.Min, shape.AmountCents.Max);
            Pay(ref rng, timestamp, c, merchant, cents, ip, DayGenerator.Pix, label);
        }
    }

    /// <summary>1 to 3 payments of R$ 15,000 to R$ 500,000 at the customer's usual hours.</summary>
    private void HighValue(ref SeededRandom rng, TypologyShape shape, byte label)
    {
        var c = rng.Next(Customers);
        var count = rng.Next(shape.Transactions);
        var merchant = population.MerchantOf(ref rng, HighValueCategories);
        for (var i = 0; i < count; i++)
        {
            var timestamp = clock.SampleTime(ref rng, population.Customers[c].RhythmShiftHours);
            var cents = (long)rng.LogUniform(shape.AmountCents.Min, shape.AmountCents.Max);
            if (rng.Chance(shape.RoundShare))
                cents = Math.Max(cents / 10_000 * 10_000, shape.AmountCents.Min); // whole hundreds of reais
            var channel = rng.Chance(0.6) ? DayGenerator.Ted : DayGenerator.Pix;
            Pay(ref rng, timestamp, c, merchant, cents, HomeIp(ref rng, c), channel, label);
        }
    }

    /// <summary>20 to 60 customers new to a merchant each pay it a similar amount within 10 to 45 minutes.</summary>
    private void MerchantFanIn(ref SeededRandom rng, TypologyShape shape, byte label)
    {
        var merchant = population.MerchantOf(ref rng, FanInCategories);
        var count = Math.Min(rng.Next(shape.Accounts), Customers);
        var span = rng.NextInt64(shape.SpanMs);
        var start = Start(ref rng, span);
        var typical = rng.LogUniform(shape.AmountCents.Min, shape.AmountCents.Max);
        var chosen = new HashSet<int>();
        for (var attempt = 0; chosen.Count < count && attempt < 20 * count; attempt++)
        {
            var c = rng.Next(Customers);
            if (Array.IndexOf(population.Habitual[c], merchant) >= 0 || !chosen.Add(c))
                continue;
            var cents = (long)Math.Round(typical * (0.95 + 0.1 * rng.NextDouble()));
            Pay(ref rng, start + rng.NextInt64(span), c, merchant, cents, HomeIp(ref rng, c), DayGenerator.Pix, label);
        }
    }

    /// <summary>10 to 30 customers pay from one address within 30 minutes to 3 hours; half the time from one device too.</summary>
    private void SharedIp(ref SeededRandom rng, TypologyShape shape, byte label)
    {
        var ip = rng.Chance(0.5) ? IpAddresses.Foreign(ref rng) : IpAddresses.Mobile(ref rng);
        var sharedDevice = rng.Chance(0.5) ? Population.NewDevice(ref rng) : null;
        var count = Math.Min(rng.Next(shape.Accounts), Customers);
        var span = rng.NextInt64(shape.SpanMs);
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
                var cents = (long)rng.LogUniform(shape.AmountCents.Min, shape.AmountCents.Max);
                Pay(ref rng, start + rng.NextInt64(span), c, merchant, cents, ip, DayGenerator.Pix, label, sharedDevice);
            }
        }
    }

    /// <summary>A start such that [start, start + span) lies inside the day.</summary>
    private long Start(ref SeededRandom rng, long span) => clock.StartMs + rng.NextInt64(DayClock.DayMs - span);
}
