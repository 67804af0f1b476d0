using System.Globalization;

namespace Amlfs.Synthetic;

/// <summary>
/// The customers and merchants of one synthetic run, with the index tables the day generator draws from. Built once
/// from the options (each profile from its own random stream, so a profile does not depend on how many others exist
/// after it) and read-only afterwards, so any number of days can be generated from it concurrently.
/// </summary>
internal sealed class Population
{
    private const int MaxHabitualMerchants = 8;

    /// <summary>Customers of consecutive indexes form households of this many, who send each other money.</summary>
    private const int HouseholdSize = 3;

    private const int MaxFriends = 4;

    private static readonly (string Name, double Weight)[] Cities =
    [
        ("São Paulo", 12), ("Rio de Janeiro", 7), ("Belo Horizonte", 3), ("Brasília", 3), ("Salvador", 3),
        ("Fortaleza", 3), ("Curitiba", 2), ("Manaus", 2), ("Recife", 2), ("Porto Alegre", 2), ("Goiânia", 1.5),
        ("Campinas", 1.2),
    ];

    private static readonly double[] CityWeights = Cities.Select(c => c.Weight).ToArray();
    private static readonly double[] CategoryShares = CategorySpec.Table.Select(c => c.Share).ToArray();
    private static readonly string[] ForeignCustomerCountries = ["AR", "PT", "US", "UY", "PY"];
    private static readonly string[] OffshoreCountries = ["CW", "MT", "KY", "US"];
    private static readonly double[] HomeIpCountWeights = [50, 35, 15];
    private static readonly double[] ChannelPreferenceWeights = [50, 35, 10, 5];
    private static readonly double[] ShiftWeights = [10, 20, 40, 20, 10]; // -2 .. +2 hours

    private static readonly string[] Surnames =
    [
        "Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima", "Gomes",
        "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Lopes", "Soares", "Fernandes", "Vieira", "Barbosa",
        "Rocha", "Dias", "Nascimento", "Andrade", "Moreira", "Nunes", "Marques", "Machado", "Mendes", "Freitas",
    ];

    private Population(
        CustomerProfile[] customers, MerchantProfile[] merchants, int[][] habitual, int[][] contacts, int[] customerChannel,
        int[] merchantCategory, double[] popularityCumulative, int[][] merchantsByCategory)
    {
        Customers = customers;
        Merchants = merchants;
        Habitual = habitual;
        Contacts = contacts;
        CustomerChannel = customerChannel;
        MerchantCategory = merchantCategory;
        PopularityCumulative = popularityCumulative;
        MerchantsByCategory = merchantsByCategory;
    }

    public CustomerProfile[] Customers { get; }

    public MerchantProfile[] Merchants { get; }

    /// <summary>Per customer, the indexes of its habitual merchants, most frequent first.</summary>
    public int[][] Habitual { get; }

    /// <summary>
    /// Per customer, the customers it sends money to, most frequent first: its household (customers of neighbouring
    /// indexes, who send money to it too), then a few friends.
    /// </summary>
    public int[][] Contacts { get; }

    /// <summary>
    /// How many fresh accounts there are: accounts opened for a laundering scheme, with indexes from the number of
    /// customers on, ids that follow the last customer's, and neither a profile nor normal activity.
    /// </summary>
    public int FreshAccounts => Math.Max(Customers.Length, 100_000);

    /// <summary>Per customer, the index in <see cref="Channels.All"/> of its preferred channel.</summary>
    public int[] CustomerChannel { get; }

    /// <summary>Per merchant, the index of its category in <see cref="CategorySpec.Table"/>.</summary>
    public int[] MerchantCategory { get; }

    /// <summary>Running total of merchant popularity, for drawing a merchant in proportion to it.</summary>
    public double[] PopularityCumulative { get; }

    /// <summary>Per category, the indexes of its merchants.</summary>
    public int[][] MerchantsByCategory { get; }

    /// <summary>
    /// Running totals of the weights 1, 1/2, 1/3, ... of habitual merchants (or of contacts), per number of them:
    /// the first is paid most often.
    /// </summary>
    public static double[][] HabitualCumulative { get; } = Enumerable.Range(0, MaxHabitualMerchants + 1)
        .Select(n => Enumerable.Range(1, n).Select(k => Enumerable.Range(1, k).Sum(i => 1.0 / i)).ToArray())
        .ToArray();

    public static Population Build(SyntheticOptions options)
    {
        var merchantCount = options.Merchants;
        var merchants = new MerchantProfile[merchantCount];
        var merchantCategory = new int[merchantCount];
        var merchantCity = new int[merchantCount];
        for (var m = 0; m < merchantCount; m++)
            (merchants[m], merchantCategory[m], merchantCity[m]) = NewMerchant(options.Seed, m);

        var popularity = new double[merchantCount];
        var total = 0.0;
        for (var m = 0; m < merchantCount; m++)
            popularity[m] = total += merchants[m].Popularity;

        var byCategory = Enumerable.Range(0, CategorySpec.Table.Length)
            .Select(c => Enumerable.Range(0, merchantCount).Where(m => merchantCategory[m] == c).ToArray())
            .ToArray();
        var localByCity = Enumerable.Range(0, Cities.Length)
            .Select(city => Enumerable.Range(0, merchantCount)
                .Where(m => merchantCity[m] == city && CategorySpec.Table[merchantCategory[m]].Local).ToArray())
            .ToArray();

        var customers = new CustomerProfile[options.Customers];
        var habitual = new int[options.Customers][];
        var channel = new int[options.Customers];
        var contacts = new int[options.Customers][];
        Parallel.For(0, options.Customers, c =>
        {
            (customers[c], habitual[c], channel[c]) = NewCustomer(options, c, merchants, popularity, localByCity);
            contacts[c] = NewContacts(options.Seed, c, options.Customers);
        });

        return new Population(customers, merchants, habitual, contacts, channel, merchantCategory, popularity, byCategory);
    }

    /// <summary>The id of an account: a customer's, or a fresh account's (<see cref="FreshAccounts"/>).</summary>
    public string AccountId(int account) => account < Customers.Length ? Customers[account].CustomerId : CustomerId(account);

    /// <summary><c>CUST_000001</c> for index 0.</summary>
    public static string CustomerId(int index) => string.Create(CultureInfo.InvariantCulture, $"CUST_{index + 1:D6}");

    /// <summary><c>MERCH_00001</c> for index 0.</summary>
    public static string MerchantId(int index) => string.Create(CultureInfo.InvariantCulture, $"MERCH_{index + 1:D5}");

    /// <summary>A device id such as <c>DEV_3f9a0c12b7e4</c>.</summary>
    public static string NewDevice(ref SeededRandom rng) =>
        string.Create(CultureInfo.InvariantCulture, $"DEV_{rng.NextUInt64() & 0xFFFF_FFFF_FFFF:x12}");

    /// <summary>A merchant drawn in proportion to popularity.</summary>
    public int PopularMerchant(ref SeededRandom rng) => rng.PickCumulative(PopularityCumulative);

    /// <summary>A merchant of one of <paramref name="categories"/>, or any merchant when none of them has one.</summary>
    public int MerchantOf(ref SeededRandom rng, ReadOnlySpan<int> categories)
    {
        var category = categories[rng.Next(categories.Length)];
        var candidates = MerchantsByCategory[category];
        if (candidates.Length > 0)
            return candidates[rng.Next(candidates.Length)];
        foreach (var c in categories)
        {
            if (MerchantsByCategory[c].Length > 0)
                return MerchantsByCategory[c][rng.Next(MerchantsByCategory[c].Length)];
        }

        return rng.Next(Merchants.Length);
    }

    // From a stream of its own, so that contacts leave the customers' profiles as they were.
    private static int[] NewContacts(long seed, int index, int customers)
    {
        var household = index / HouseholdSize * HouseholdSize;
        var contacts = new List<int>(HouseholdSize - 1 + MaxFriends);
        for (var member = household; member < Math.Min(household + HouseholdSize, customers); member++)
        {
            if (member != index)
                contacts.Add(member);
        }

        var rng = SeededRandom.For(seed, RandomPurpose.Contacts, index);
        var friends = rng.Next(1, MaxFriends + 1);
        for (var attempt = 0; attempt < 4 * MaxFriends && contacts.Count < HouseholdSize - 1 + friends; attempt++)
        {
            var friend = rng.Next(customers);
            if (friend != index && !contacts.Contains(friend))
                contacts.Add(friend);
        }

        return contacts.ToArray();
    }

    private static (MerchantProfile, int Category, int City) NewMerchant(long seed, int index)
    {
        var rng = SeededRandom.For(seed, RandomPurpose.Merchant, index);
        var table = CategorySpec.Table;
        // The first merchants take one category each, so that every category exists in all but the smallest runs.
        var category = index < table.Length ? index : rng.Pick(CategoryShares);
        var spec = table[category];
        var city = rng.Pick(CityWeights);
        var country = spec.Name is MerchantCategories.Gambling or MerchantCategories.CryptoExchange && rng.Chance(0.3)
            ? OffshoreCountries[rng.Next(OffshoreCountries.Length)]
            : "BR";
        var name = $"{spec.NamePrefixes[rng.Next(spec.NamePrefixes.Length)]} {Surnames[rng.Next(Surnames.Length)]}";
        var profile = new MerchantProfile
        {
            MerchantId = MerchantId(index),
            Name = name,
            Category = spec.Name,
            City = Cities[city].Name,
            Country = country,
            Popularity = Math.Round(rng.LogNormal(1.0, 1.2), 6),
        };
        return (profile, category, city);
    }

    private static (CustomerProfile, int[] Habitual, int Channel) NewCustomer(
        SyntheticOptions options, int index, MerchantProfile[] merchants, double[] popularity, int[][] localByCity)
    {
        var rng = SeededRandom.For(options.Seed, RandomPurpose.Customer, index);
        var city = rng.Pick(CityWeights);
        var country = rng.Chance(0.97) ? "BR" : ForeignCustomerCountries[rng.Next(ForeignCustomerCountries.Length)];

        var ips = new string[rng.Pick(HomeIpCountWeights) + 1];
        for (var i = 0; i < ips.Length; i++)
            ips[i] = rng.Chance(0.2) ? IpAddresses.BrazilianV6(ref rng) : IpAddresses.Brazilian(ref rng);

        var device = NewDevice(ref rng);
        var channel = rng.Pick(ChannelPreferenceWeights);

        // A handful of habitual merchants: half from the shops of the customer's own city, half from anywhere.
        var wanted = Math.Min(rng.Next(3, MaxHabitualMerchants + 1), merchants.Length);
        var habitual = new List<int>(wanted);
        var local = localByCity[city];
        for (var attempt = 0; habitual.Count < wanted && attempt < 4 * MaxHabitualMerchants; attempt++)
        {
            var m = local.Length > 0 && rng.Chance(0.5) ? local[rng.Next(local.Length)] : rng.PickCumulative(popularity);
            if (!habitual.Contains(m))
                habitual.Add(m);
        }

        var profile = new CustomerProfile
        {
            CustomerId = CustomerId(index),
            HomeIps = ips,
            DeviceId = device,
            Country = country,
            City = Cities[city].Name,
            Channel = Channels.All[channel],
            HabitualMerchants = habitual.Select(m => merchants[m].MerchantId).ToArray(),
            MedianAmountCents = Math.Clamp((long)Math.Round(rng.LogNormal(6_000, 0.7)), 1_500, 60_000),
            AmountSigma = Math.Round(0.4 + 0.6 * rng.NextDouble(), 4),
            // Log-normal around the configured mean: exp(0.6 z - 0.18) has mean 1.
            DailyTransactions = Math.Round(options.DailyTransactions * Math.Exp(0.6 * rng.NextGaussian() - 0.18), 4),
            RhythmShiftHours = rng.Pick(ShiftWeights) - 2,
        };
        return (profile, habitual.ToArray(), channel);
    }
}
