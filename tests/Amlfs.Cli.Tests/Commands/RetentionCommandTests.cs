using Amlfs.Audit;
using Amlfs.Engine;
using Amlfs.OfflineStore;
using Amlfs.Retention;
using Amlfs.Testing;

namespace Amlfs.Cli.Tests.Commands;

/// <summary><c>amlfs retention</c>: prints per store what it deletes, deletes nothing on a dry run, refuses bad periods.</summary>
public sealed class RetentionCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Data => _cli.PathOf("data");

    private string Partition(DateOnly day)
    {
        var directory = DatasetLayout.PartitionDirectory(Data, day);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "part-00000.parquet"), "x");
        return directory;
    }

    [Fact]
    public void A_dry_run_prints_what_would_go_and_deletes_nothing()
    {
        var old = Partition(new DateOnly(2025, 2, 1));

        var result = _cli.Run("retention", "--retain", "transactions=30d", "--dry-run");

        Assert.Equal((0, ""), (result.ExitCode, result.Error));
        Assert.Contains("would delete transactions/date=2025-02-01\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("dry run: 1 day partitions or files would be deleted; nothing was", result.Output, StringComparison.Ordinal);
        Assert.True(Directory.Exists(old));
        Assert.Empty(AuditReader.Records(Data));
    }

    [Fact]
    public void A_sweep_deletes_expired_days_keeps_the_rest_and_records_it()
    {
        var old = Partition(new DateOnly(2025, 2, 1));
        var recent = Partition(new DateOnly(2025, 3, 10));
        var deadLetters = DeadLetterFile.FileOf(DeadLetterFile.DirectoryOf(Data), new DateOnly(2024, 11, 1));
        Directory.CreateDirectory(Path.GetDirectoryName(deadLetters)!);
        File.WriteAllText(deadLetters, "{}\n");

        var result = _cli.Run("retention", "--retain", "transactions=30d");

        Assert.Equal((0, ""), (result.ExitCode, result.Error));
        Assert.False(Directory.Exists(old));
        Assert.True(Directory.Exists(recent));
        Assert.False(File.Exists(deadLetters));
        Assert.Contains("deleted transactions/date=2025-02-01\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("deleted dead-letter/rejected-2024-11-01.jsonl\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("2 day partitions or files deleted; recorded in the audit trail", result.Output, StringComparison.Ordinal);
        var record = Assert.Single(AuditReader.Records(Data)).Record;
        Assert.Equal((AuditActions.RetentionSwept, "cli:" + Environment.UserName), (record.Action, record.Actor));
        Assert.Equal("transactions/date=2025-02-01", record.Details["transactions"]);
    }

    [Theory]
    [InlineData("transactions=2d", "amlfs retention: retain transactions: must be at least 9d, got 2d")]
    [InlineData("dead_letters=soon", "amlfs retention: retain dead_letters: the period must be whole days or years, e.g. 90d or 5y, got 'soon'")]
    [InlineData("wal=30d", "amlfs retention: retain 'wal=30d': the store must be one of transactions, decisions, labels, feature_log, dead_letters, got 'wal'")]
    public void A_bad_period_is_refused_naming_it(string assignment, string message)
    {
        var old = Partition(new DateOnly(2010, 1, 1));

        var result = _cli.Run("retention", "--retain", assignment);

        Assert.Equal((1, message), (result.ExitCode, result.Error.Trim()));
        Assert.True(Directory.Exists(old));
    }

    [Fact]
    public void The_docs_table_gives_each_store_its_default_period_and_setting()
    {
        var rows = RepositoryFiles.Read("docs/privacy.md").Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToArray();

        foreach (var (store, period) in new RetentionSettings().Periods)
        {
            var row = Assert.Single(rows, r => r.StartsWith($"| `{store}` |", StringComparison.Ordinal));
            Assert.Contains($"| {RetentionSettings.Format(period)} | `--retain {store}=PERIOD` |", row, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_retention_commands_of_the_docs_run()
    {
        Partition(new DateOnly(2010, 1, 1));
        var commands = RepositoryFiles.Read("docs/privacy.md").Split('\n')
            .Where(l => l.StartsWith("./amlfs retention", StringComparison.Ordinal))
            .Select(l => l.Split('#')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..])
            .ToArray();

        Assert.Equal(2, commands.Length);
        foreach (var command in commands)
        {
            var result = _cli.Run(command);
            Assert.True(result.ExitCode == 0, string.Join(' ', command) + ": " + result.Error);
        }

        Assert.False(Directory.Exists(DatasetLayout.PartitionDirectory(Data, new DateOnly(2010, 1, 1))));
    }
}
