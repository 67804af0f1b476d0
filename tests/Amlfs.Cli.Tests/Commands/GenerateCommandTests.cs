using System.CommandLine;
using System.Globalization;
using Amlfs.Cli.Commands;
using Amlfs.OfflineStore;
using Amlfs.Testing;
using Spectre.Console;

namespace Amlfs.Cli.Tests.Commands;

public sealed class GenerateCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Generate_writes_day_partitions_profiles_and_a_summary()
    {
        var output = Path.Combine(_directory.Path, "data");

        var (code, text, errors) = await RunAsync("--customers", "300", "--merchants", "30", "--days", "2", "--seed", "5", "--out", output);

        Assert.Equal(0, code);
        Assert.Empty(errors);
        Assert.True(File.Exists(Path.Combine(output, "transactions", "date=2026-01-05", "part-00000.parquet")));
        Assert.True(File.Exists(Path.Combine(output, "transactions", "date=2026-01-06", "part-00000.parquet")));
        Assert.True(File.Exists(Path.Combine(output, "customers.parquet")));
        Assert.True(File.Exists(Path.Combine(output, "merchants.parquet")));
        Assert.Contains("Transactions", text, StringComparison.Ordinal);
        Assert.Contains("merchant_fan_in", text, StringComparison.Ordinal);
        Assert.Contains("transactions/s", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_seed_writes_identical_files_whatever_the_parallelism()
    {
        var first = Path.Combine(_directory.Path, "first");
        var second = Path.Combine(_directory.Path, "second");

        await RunAsync("--customers", "300", "--days", "3", "--seed", "11", "--parallelism", "1", "--out", first);
        await RunAsync("--customers", "300", "--days", "3", "--seed", "11", "--parallelism", "3", "--out", second);

        var files = Directory.GetFiles(first, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(first, f)).Order().ToList();
        Assert.Equal(5, files.Count);
        Assert.Equal(files, Directory.GetFiles(second, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(second, f)).Order());
        foreach (var file in files)
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(first, file)), await File.ReadAllBytesAsync(Path.Combine(second, file)));
    }

    [Fact]
    public async Task Generate_reads_typology_rates_and_shapes_from_a_file()
    {
        var file = Path.Combine(_directory.Path, "few.yaml");
        var rates = string.Join('\n', Typologies.All.Select(t => $"{t}: {{rate: 0}}"));
        await File.WriteAllTextAsync(file, rates.Replace("cycle: {rate: 0}", "cycle: {rate: 20, hops: 3}", StringComparison.Ordinal));
        var output = Path.Combine(_directory.Path, "data");

        var (code, text, errors) = await RunAsync("--customers", "300", "--days", "2", "--typologies", file, "--out", output);

        Assert.Equal(0, code);
        Assert.Empty(errors);
        var counts = Typologies.All.ToDictionary(t => t, t => SummaryCount(text, t));
        Assert.Equal(0, counts.Where(c => c.Key != Typologies.Cycle).Sum(c => c.Value));
        Assert.True(counts[Typologies.Cycle] > 0 && counts[Typologies.Cycle] % 3 == 0, $"{counts[Typologies.Cycle]} cycle transfers");
    }

    [Fact]
    public async Task A_bad_typologies_file_fails_naming_its_line_and_key()
    {
        var file = Path.Combine(_directory.Path, "bad.yaml");
        await File.WriteAllTextAsync(file, "cycle:\n  rate: 1\n  hopz: [2, 3]\nstack:\n  hops: [1, 2]\n");
        var output = Path.Combine(_directory.Path, "data");

        var (code, _, errors) = await RunAsync("--typologies", file, "--out", output);

        Assert.Equal(1, code);
        Assert.Contains($"error: {file}:3: cycle.hopz: unknown key", errors, StringComparison.Ordinal);
        Assert.Contains($"error: {file}:5: stack.hops: must lie between 2 and 8, got [1, 2]", errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task A_missing_typologies_file_fails_naming_it()
    {
        var file = Path.Combine(_directory.Path, "absent.yaml");

        var (code, _, errors) = await RunAsync("--typologies", file, "--out", Path.Combine(_directory.Path, "data"));

        Assert.Equal(1, code);
        Assert.Contains($"error: {file}: does not exist", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--customers", "-1", "--customers must be between 1 and 10,000,000, got -1")]
    [InlineData("--merchants", "0", "--merchants must be between 1 and 10,000,000, got 0")]
    [InlineData("--days", "-3", "--days must be between 1 and 3,660, got -3")]
    [InlineData("--parallelism", "0", "--parallelism must be at least 1, got 0")]
    [InlineData("--timezone", "Nowhere/Atlantis", "--timezone must be an IANA time zone id")]
    public async Task Bad_arguments_fail_with_a_clear_error(string option, string value, string message)
    {
        var output = Path.Combine(_directory.Path, "data");

        var (code, _, errors) = await RunAsync(option, value, "--out", output);

        Assert.Equal(1, code);
        Assert.Contains(message, errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task An_output_that_cannot_be_a_directory_fails_with_a_clear_error()
    {
        var file = Path.Combine(_directory.Path, "file");
        await File.WriteAllTextAsync(file, "not a directory");

        var (code, _, errors) = await RunAsync("--customers", "10", "--days", "1", "--out", Path.Combine(file, "data"));

        Assert.Equal(1, code);
        Assert.Contains("is not a writable directory", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_existing_dataset_is_replaced_only_with_force()
    {
        var output = Path.Combine(_directory.Path, "data");
        await RunAsync("--customers", "50", "--days", "3", "--out", output);

        var (refused, _, errors) = await RunAsync("--customers", "50", "--days", "1", "--out", output);
        var (forced, _, _) = await RunAsync("--customers", "50", "--days", "1", "--out", output, "--force");

        Assert.Equal(1, refused);
        Assert.Contains("pass --force to replace it", errors, StringComparison.Ordinal);
        Assert.Equal(0, forced);
        Assert.Single(Directory.GetDirectories(Path.Combine(output, "transactions")));
    }

    // The summary's row of a typology: "│   cycle   │   123 │".
    private static long SummaryCount(string summary, string typology)
    {
        var row = summary.Split('\n').Single(l => l.Contains($" {typology} ", StringComparison.Ordinal));
        return long.Parse(row.Split('│', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[1], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
    }

    private static async Task<(int Code, string Output, string Errors)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        var root = new RootCommand { GenerateCommand.Create(console) };

        var code = await root.Parse(["generate", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = errors });

        return (code, output.ToString(), errors.ToString());
    }
}
