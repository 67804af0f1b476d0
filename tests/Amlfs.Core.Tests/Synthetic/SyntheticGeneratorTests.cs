using Amlfs.OfflineStore;
using Amlfs.Synthetic;
using Amlfs.Transactions;

namespace Amlfs.Core.Tests.Synthetic;

public sealed class SyntheticGeneratorTests
{
    private static readonly SyntheticOptions Small = new()
    {
        Customers = 300,
        Merchants = 40,
        Days = 3,
        Seed = 1234,
        Laundering = TypologySettings.Default.Scaled(10),
    };

    [Fact]
    public void The_same_options_give_the_same_history()
    {
        var first = Flatten(new SyntheticGenerator(Small).GenerateDays());
        var second = Flatten(new SyntheticGenerator(Small).GenerateDays());

        Assert.NotEmpty(first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void The_same_options_give_the_same_profiles()
    {
        var first = new SyntheticGenerator(Small);
        var second = new SyntheticGenerator(Small);

        Assert.Equal(first.Customers.Select(Describe), second.Customers.Select(Describe));
        Assert.Equal(first.Merchants, second.Merchants);
    }

    [Fact]
    public void A_different_seed_gives_a_different_history()
    {
        var first = Flatten(new SyntheticGenerator(Small).GenerateDays());
        var second = Flatten(new SyntheticGenerator(Small with { Seed = 1235 }).GenerateDays());

        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Parallel_generation_gives_the_same_days_in_the_same_order(int parallelism)
    {
        var generator = new SyntheticGenerator(Small);

        var sequential = generator.GenerateDays().ToList();
        var parallel = generator.GenerateDays(parallelism).ToList();

        Assert.Equal(sequential.Select(d => d.Date), parallel.Select(d => d.Date));
        Assert.Equal(Flatten(sequential), Flatten(parallel));
    }

    [Fact]
    public void A_day_generated_alone_equals_the_same_day_in_sequence()
    {
        var generator = new SyntheticGenerator(Small);

        var inSequence = generator.GenerateDays().Last();
        var alone = new SyntheticGenerator(Small).GenerateDay(Small.Days - 1);

        Assert.Equal(inSequence.Transactions, alone.Transactions);
    }

    [Fact]
    public void Days_generated_alone_in_reverse_order_equal_the_days_in_sequence()
    {
        // Graph typologies run over several days, so a day replays the instances of the days before it.
        var options = Small with { Days = 6 };
        var inSequence = new SyntheticGenerator(options).GenerateDays().ToList();

        var generator = new SyntheticGenerator(options);
        var alone = Enumerable.Range(0, options.Days).Reverse().Select(generator.GenerateDay).Reverse().ToList();

        Assert.Contains(inSequence[^1].Transactions, r => Typologies.Graph.Contains(r.Typology));
        Assert.Equal(Flatten(inSequence), Flatten(alone));
    }

    [Fact]
    public void Stream_gives_every_day_in_time_order()
    {
        var generator = new SyntheticGenerator(Small);

        var streamed = SyntheticGenerator.Stream(Small, parallelism: 2).ToList();

        Assert.Equal(Flatten(generator.GenerateDays()), streamed);
        for (var i = 1; i < streamed.Count; i++)
            Assert.True(streamed[i - 1].Transaction.TimestampMs <= streamed[i].Transaction.TimestampMs);
    }

    [Fact]
    public void Every_transaction_passes_validation_unchanged()
    {
        foreach (var row in new SyntheticGenerator(Small).Stream())
        {
            var t = row.Transaction;
            var input = new TransactionInput
            {
                TransactionId = t.TransactionId,
                CustomerId = t.CustomerId,
                MerchantId = t.MerchantId,
                Amount = t.Amount,
                Currency = t.Currency,
                Timestamp = t.Timestamp,
                IpAddress = t.IpAddress,
                Channel = t.Channel,
                DeviceId = t.DeviceId,
                Country = t.Country,
                PaymentFormat = t.PaymentFormat,
                DestinationType = DestinationTypes.Name(t.DestinationType),
            };

            var errors = TransactionValidator.Validate(input, out var validated);

            Assert.Empty(errors);
            Assert.Equal(t, validated);
        }
    }

    [Fact]
    public void Transaction_ids_are_unique_and_name_their_day()
    {
        var days = new SyntheticGenerator(Small).GenerateDays().ToList();

        var ids = days.SelectMany(d => d.Transactions).Select(t => t.Transaction.TransactionId).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        foreach (var day in days)
            Assert.All(day.Transactions, t => Assert.StartsWith($"TXN_{day.Date:yyyyMMdd}_", t.Transaction.TransactionId, StringComparison.Ordinal));
    }

    [Fact]
    public void Each_day_is_sorted_by_time_then_id_and_lies_within_its_utc_day()
    {
        foreach (var day in new SyntheticGenerator(Small).GenerateDays())
        {
            var start = new DateTimeOffset(day.Date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
            var rows = day.Transactions.Select(t => t.Transaction).ToList();

            Assert.All(rows, t => Assert.InRange(t.TimestampMs, start, start + 86_400_000 - 1));
            var sorted = rows.OrderBy(t => t.TimestampMs).ThenBy(t => t.TransactionId, StringComparer.Ordinal).ToList();
            Assert.Equal(sorted.Select(t => t.TransactionId), rows.Select(t => t.TransactionId));
        }
    }

    [Fact]
    public void Days_follow_each_other_from_the_start_date()
    {
        var days = new SyntheticGenerator(Small with { Start = new DateOnly(2026, 2, 27) }).GenerateDays().ToList();

        Assert.Equal([0, 1, 2], days.Select(d => d.Index));
        Assert.Equal([new DateOnly(2026, 2, 27), new DateOnly(2026, 2, 28), new DateOnly(2026, 3, 1)], days.Select(d => d.Date));
    }

    [Fact]
    public void Amounts_are_positive_whole_cents_and_labels_agree()
    {
        Assert.All(new SyntheticGenerator(Small).Stream(), row =>
        {
            Assert.True(row.Transaction.AmountCents >= 100);
            Assert.Equal(row.IsSuspicious, row.Typology.Length > 0);
            Assert.True(row.Typology.Length == 0 || Typologies.All.Contains(row.Typology));
        });
    }

    [Fact]
    public void Default_settings_label_between_one_and_three_percent_as_suspicious()
    {
        var rows = new SyntheticGenerator(new SyntheticOptions { Customers = 3_000, Merchants = 150, Days = 7, Seed = 5 })
            .Stream(parallelism: 2).ToList();

        var share = rows.Count(r => r.IsSuspicious == true) / (double)rows.Count;

        Assert.InRange(share, 0.01, 0.03);
    }

    [Fact]
    public void Zero_rates_give_a_history_without_suspicious_transactions()
    {
        var rows = new SyntheticGenerator(Small with { Laundering = TypologySettings.None }).Stream().ToList();

        Assert.NotEmpty(rows);
        Assert.DoesNotContain(rows, r => r.IsSuspicious == true);
    }

    [Fact]
    public void Invalid_options_are_rejected_with_every_problem_named()
    {
        var options = new SyntheticOptions { Customers = -1, Merchants = 0, Days = 0, TimeZone = "Mars/Olympus_Mons" };

        var errors = options.Validate();
        var exception = Assert.Throws<ArgumentException>(() => new SyntheticGenerator(options));

        Assert.Contains(errors, e => e.StartsWith("customers ", StringComparison.Ordinal) && e.Contains("got -1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("merchants ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("days ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("timezone ", StringComparison.Ordinal));
        Assert.Contains("customers", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_options_are_valid_and_start_on_a_fixed_monday()
    {
        var options = new SyntheticOptions();

        Assert.Empty(options.Validate());
        Assert.Equal(new DateOnly(2026, 1, 5), options.Start);
        Assert.Equal(DayOfWeek.Monday, options.Start.DayOfWeek);
        Assert.Equal("America/Sao_Paulo", options.TimeZone);
    }

    [Fact]
    public void Days_outside_the_run_are_rejected()
    {
        var generator = new SyntheticGenerator(Small);

        Assert.Throws<ArgumentOutOfRangeException>(() => generator.GenerateDay(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.GenerateDay(Small.Days));
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.GenerateDays(0).ToList());
    }

    private static List<LabeledTransaction> Flatten(IEnumerable<DayBatch> days) => days.SelectMany(d => d.Transactions).ToList();

    private static string Describe(CustomerProfile c) =>
        $"{c with { HomeIps = [], HabitualMerchants = [] }} {string.Join(',', c.HomeIps)} {string.Join(',', c.HabitualMerchants)}";
}
