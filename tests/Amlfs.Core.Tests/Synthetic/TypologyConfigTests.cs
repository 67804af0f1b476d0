using Amlfs.OfflineStore;
using Amlfs.Synthetic;

namespace Amlfs.Core.Tests.Synthetic;

public sealed class TypologyConfigTests
{
    private const string File = "mine.yaml";

    private static IReadOnlyList<string> Errors(string text) =>
        Assert.Throws<TypologyConfigException>(() => TypologyConfig.Parse(text, File)).Errors;

    [Fact]
    public void The_default_file_sets_every_key_of_every_typology_the_generator_injects()
    {
        TypologyConfig.LoadDefault(out var lines);

        var expected = Typologies.All.SelectMany(t => TypologyConfig.KeysOf(t).Select(k => $"{t}.{k}"));
        Assert.Equal(expected.Order(StringComparer.Ordinal), lines.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(TypologySettings.Default.Problems());
    }

    [Fact]
    public void The_default_file_documents_every_key()
    {
        var text = TypologyConfig.DefaultText();

        foreach (var key in Typologies.All.SelectMany(TypologyConfig.KeysOf).Distinct())
            Assert.Contains($"#   {key} ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_sets_what_it_names_and_keeps_the_defaults_for_the_rest()
    {
        var settings = TypologyConfig.Parse("""
            cycle:
              rate: 2.5
              hops: [3, 4]
              span: [90s, 2d]
              amount: 1234.56
              fee: [0, 0.1]
            structuring:
              merchant_share: 0
            """, File);

        var cycle = settings[Typologies.Cycle];
        Assert.Equal(2.5, cycle.Rate);
        Assert.Equal(new ShapeRange<int>(3, 4), cycle.Hops);
        Assert.Equal(new ShapeRange<long>(90_000, 2 * 86_400_000L), cycle.SpanMs);
        Assert.Equal(ShapeRange<long>.Of(123_456), cycle.AmountCents);
        Assert.Equal(new ShapeRange<double>(0, 0.1), cycle.Fee);
        Assert.Equal(TypologySettings.Default[Typologies.Cycle].RoundShare, cycle.RoundShare);
        Assert.Equal(0, settings[Typologies.Structuring].MerchantShare);
        Assert.Equal(TypologySettings.Default[Typologies.Burst], settings[Typologies.Burst]);
    }

    [Fact]
    public void An_empty_file_gives_the_defaults()
    {
        var settings = TypologyConfig.Parse("{}", File);

        Assert.Equal(TypologySettings.Default, settings);
        Assert.NotEqual(TypologySettings.Default, TypologySettings.None);
    }

    [Theory]
    [InlineData("cycle:\n  rate: 1\n  hop: [2, 3]\n", "mine.yaml:3: cycle.hop: unknown key (known: rate, amount,")]
    [InlineData("cycles:\n  rate: 1\n", "mine.yaml:1: cycles: unknown typology (known: burst,")]
    [InlineData("burst:\n  rate: 1\n  hops: 3\n", "mine.yaml:3: burst.hops: unknown key")]
    [InlineData("cycle:\n  rate: often\n", "mine.yaml:2: cycle.rate: must be one number such as 0.25, got 'often'")]
    [InlineData("cycle:\n\n  rate: -1\n", "mine.yaml:3: cycle.rate: must be between 0 and 1000 instances per 1,000 customers per day, got -1")]
    [InlineData("cycle:\n  hops: [1, 3]\n", "mine.yaml:2: cycle.hops: must lie between 2 and 12, got [1, 3]")]
    [InlineData("fan_in:\n  accounts: [9, 4]\n", "mine.yaml:2: fan_in.accounts: must not start above its end, got [9, 4]")]
    [InlineData("fan_in:\n  accounts: [1, 2, 3]\n", "mine.yaml:2: fan_in.accounts: must be one value or a range [min, max], got [1, 2, 3]")]
    [InlineData("fan_in:\n  accounts: 2.5\n", "mine.yaml:2: fan_in.accounts: must be a whole number or a range such as [2, 6], got '2.5'")]
    [InlineData("fan_in:\n  span: [10 minutes, 1h]\n", "mine.yaml:2: fan_in.span: must be a duration or a range such as [10m, 3d]")]
    [InlineData("fan_in:\n  span: [1h, 8d]\n", "mine.yaml:2: fan_in.span: must lie between 1s and 7d, got [1h, 8d]")]
    [InlineData("burst:\n  span: [2m, 2d]\n", "mine.yaml:2: burst.span: must lie between 1s and 24h, got [2m, 2d]")]
    [InlineData("cycle:\n  amount: [10.001, 20]\n", "mine.yaml:2: cycle.amount: must be an amount in reais or a range such as [500, 9999.99]")]
    [InlineData("cycle:\n  amount: [0.5, 20]\n", "mine.yaml:2: cycle.amount: must lie between 1 and 10000000, got [0.5, 20]")]
    [InlineData("cycle:\n  fee: [0, 0.9]\n", "mine.yaml:2: cycle.fee: must lie between 0 and 0.5, got [0, 0.9]")]
    [InlineData("cycle:\n  round_share: 1.5\n", "mine.yaml:2: cycle.round_share: must be between 0 and 1, got 1.5")]
    [InlineData("cycle:\n  span: {min: 1h}\n", "mine.yaml:2: cycle.span: must be a value or a range [min, max]")]
    [InlineData("cycle: 3\n", "mine.yaml:1: cycle: must be a mapping of its settings")]
    [InlineData("- cycle\n", "mine.yaml:1: file: must be a YAML mapping")]
    [InlineData("cycle:\n  hops: [2, 3\n", "mine.yaml:")]
    public void A_bad_key_or_value_is_an_error_naming_the_file_line_and_key(string text, string expected)
    {
        Assert.Contains(Errors(text), e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_of_a_file_is_reported_at_once()
    {
        var errors = Errors("""
            cycle:
              rate: -1
              hops: [1, 2]
            stack:
              layers: 3
            """);

        Assert.Equal(3, errors.Count);
        Assert.All(errors, e => Assert.StartsWith("mine.yaml:", e, StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_file_is_an_error_naming_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"amlfs-no-such-{Guid.NewGuid():N}.yaml");

        var errors = Assert.Throws<TypologyConfigException>(() => TypologyConfig.LoadFile(path)).Errors;

        Assert.Equal([$"{path}: does not exist"], errors);
    }

    [Fact]
    public void Settings_built_in_code_are_validated_with_the_options()
    {
        var settings = TypologySettings.Default.With(Typologies.Stack, TypologySettings.Default[Typologies.Stack] with { Hops = new(1, 3) });

        var errors = new SyntheticOptions { Laundering = settings.Scaled(-1) }.Validate();

        Assert.Contains("typologies stack.hops must lie between 2 and 8, got [1, 3]", errors);
        Assert.Contains(errors, e => e.StartsWith("typologies cycle.rate must be between 0 and 1000", StringComparison.Ordinal));
    }

    [Fact]
    public void None_keeps_the_shapes_with_every_rate_zero()
    {
        Assert.All(Typologies.All, t =>
        {
            Assert.Equal(0, TypologySettings.None[t].Rate);
            Assert.Equal(TypologySettings.Default[t] with { Rate = 0 }, TypologySettings.None[t]);
        });
        Assert.Throws<ArgumentException>(() => TypologySettings.Default[Typologies.RandomWalk]);
    }
}
