using Amlfs.Audit;
using Amlfs.Engine;
using Amlfs.OfflineStore;
using Amlfs.Retention;
using Amlfs.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Core.Tests.Retention;

/// <summary>The retention sweep deletes whole days older than each store's period, keeps the rest, and records what it deleted.</summary>
public sealed class RetentionSweepTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(Now);

    public void Dispose() => _directory.Dispose();

    private static RetentionSettings Settings => new RetentionSettings()
        .With("transactions=10d").With("decisions=10d").With("labels=10d").With("feature_log=3d").With("dead_letters=3d");

    private string Partition(string dataset, DateOnly day)
    {
        var directory = DatasetLayout.DatasetPartitionDirectory(Path.Combine(_directory.Path, dataset), day);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "part-00000.parquet"), "x");
        return directory;
    }

    private string DeadLetters(DateOnly day)
    {
        var path = DeadLetterFile.FileOf(DeadLetterFile.DirectoryOf(_directory.Path), day);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "{}\n");
        return path;
    }

    private string Labels(DateOnly day)
    {
        var path = DatasetLayout.NewLabelFile(_directory.Path, new DateTimeOffset(day.ToDateTime(new TimeOnly(13, 0)), TimeSpan.Zero));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "x");
        return path;
    }

    [Fact]
    public void Days_entirely_older_than_the_period_go_and_newer_days_stay()
    {
        // transactions: 10 days back from 2026-06-01T10:00 is 2026-05-22T10:00, so 2026-05-21 is the newest day wholly older.
        var gone = Partition("transactions", Today.AddDays(-12));
        var lastGone = Partition("transactions", Today.AddDays(-11));
        var straddles = Partition("transactions", Today.AddDays(-10));
        var recent = Partition("transactions", Today.AddDays(-1));
        var active = Partition("transactions", Today);
        var oldDecisions = Partition("decisions", Today.AddDays(-30));
        var oldFeatures = Partition(Path.Combine("feature_log", "customer"), Today.AddDays(-4));
        var newFeatures = Partition(Path.Combine("feature_log", "customer"), Today.AddDays(-3));
        var oldDeadLetters = DeadLetters(Today.AddDays(-4));
        var todaysDeadLetters = DeadLetters(Today);
        var oldLabels = Labels(Today.AddDays(-20));
        var newLabels = Labels(Today.AddDays(-2));

        var report = new RetentionSweep(_directory.Path, Settings, _clock).Run(dryRun: false);

        Assert.All(new[] { gone, lastGone, oldDecisions, oldFeatures }, d => Assert.False(Directory.Exists(d), d));
        Assert.All(new[] { straddles, recent, active, newFeatures }, d => Assert.True(Directory.Exists(d), d));
        Assert.All(new[] { oldDeadLetters, oldLabels }, f => Assert.False(File.Exists(f), f));
        Assert.All(new[] { todaysDeadLetters, newLabels }, f => Assert.True(File.Exists(f), f));
        var transactions = report.Stores.Single(s => s.Store == RetentionStores.Transactions);
        Assert.Equal(["transactions/date=2026-05-20", "transactions/date=2026-05-21"], transactions.Expired);
        Assert.Equal(Today.AddDays(-10), transactions.Cutoff);
        Assert.Equal(6, report.Expired);
    }

    [Fact]
    public void The_active_day_stays_even_under_the_shortest_period()
    {
        var settings = new RetentionSettings().With("feature_log=1d").With("dead_letters=1d");
        var yesterday = Partition(Path.Combine("feature_log", "ip"), Today.AddDays(-1));
        var active = Partition(Path.Combine("feature_log", "ip"), Today);
        var todaysDeadLetters = DeadLetters(Today);

        new RetentionSweep(_directory.Path, settings, _clock).Run(dryRun: false);
        var yesterdayKeptWhileNewerThanADay = Directory.Exists(yesterday);
        _clock.Advance(TimeSpan.FromHours(14)); // 2026-06-02T00:00: yesterday ended a day ago, today is still within the day
        new RetentionSweep(_directory.Path, settings, _clock).Run(dryRun: false);

        Assert.True(yesterdayKeptWhileNewerThanADay);
        Assert.False(Directory.Exists(yesterday));
        Assert.True(Directory.Exists(active));
        Assert.True(File.Exists(todaysDeadLetters));
    }

    [Fact]
    public void A_dry_run_deletes_nothing_and_records_nothing()
    {
        var old = Partition("transactions", Today.AddDays(-400));
        var audit = new AuditLog(_directory.Path, _clock);

        var report = new RetentionSweep(_directory.Path, Settings, _clock).Run(dryRun: true, audit);

        Assert.True(Directory.Exists(old));
        Assert.True(report.DryRun);
        Assert.Equal(["transactions/date=2025-04-27"], report.Stores.Single(s => s.Store == RetentionStores.Transactions).Expired);
        Assert.False(Directory.Exists(DatasetLayout.AuditDirectory(_directory.Path)));
    }

    [Fact]
    public void A_sweep_that_deletes_records_one_audit_record_listing_what()
    {
        Partition("transactions", Today.AddDays(-400));
        Partition("transactions", Today.AddDays(-399));
        DeadLetters(Today.AddDays(-30));
        var audit = new AuditLog(_directory.Path, _clock);

        new RetentionSweep(_directory.Path, Settings, _clock).Run(dryRun: false, audit, actor: "cli:ana");
        new RetentionSweep(_directory.Path, Settings, _clock).Run(dryRun: false, audit, actor: "cli:ana"); // nothing left: no record

        var record = Assert.Single(AuditReader.Records(_directory.Path)).Record;
        Assert.Equal(("cli:ana", AuditActions.RetentionSwept), (record.Actor, record.Action));
        Assert.Equal("transactions/date=2025-04-27 transactions/date=2025-04-28", record.Details["transactions"]);
        Assert.Equal("10d", record.Details["transactions_period"]);
        Assert.Equal("dead-letter/rejected-2026-05-02.jsonl", record.Details["dead_letters"]);
        Assert.False(record.Details.ContainsKey("decisions"));
    }

    [Fact]
    public void Stores_that_keep_everything_are_never_touched()
    {
        var audit = new AuditLog(_directory.Path, new FakeTimeProvider(Now.AddYears(-20)));
        audit.Record("system", AuditActions.KeyCreated, "old");
        var cases = Path.Combine(DatasetLayout.CasesDirectory(_directory.Path), "00000000000000000001.wal");
        Directory.CreateDirectory(Path.GetDirectoryName(cases)!);
        File.WriteAllText(cases, "x");
        File.SetLastWriteTimeUtc(cases, Now.AddYears(-20).UtcDateTime);

        var report = new RetentionSweep(_directory.Path, new RetentionSettings(), _clock).Run(dryRun: false);

        Assert.Equal(0, report.Expired);
        Assert.True(File.Exists(cases));
        Assert.Single(AuditReader.Records(_directory.Path));
    }

    [Theory]
    [InlineData("transactions=5d", "retain transactions: must be at least 9d, got 5d")]
    [InlineData("dead_letters=0d", "retain dead_letters: must be at least 1d, got 0d")]
    public void Too_short_a_period_is_refused_naming_the_setting(string assignment, string message)
    {
        var settings = new RetentionSettings().With(assignment);

        Assert.Equal([message], settings.Validate());
        var error = Assert.Throws<ArgumentException>(() => new RetentionSweep(_directory.Path, settings, _clock));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("transactions", "expected STORE=PERIOD")]
    [InlineData("wal=10d", "the store must be one of transactions, decisions, labels, feature_log, dead_letters, got 'wal'")]
    [InlineData("labels=ten days", "retain labels: the period must be whole days or years, e.g. 90d or 5y, got 'ten days'")]
    [InlineData("labels=-3d", "got '-3d'")]
    public void A_malformed_setting_is_refused_naming_the_value(string assignment, string message)
    {
        var error = Assert.Throws<FormatException>(() => new RetentionSettings().With(assignment));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Years_count_366_days_and_print_back_as_years()
    {
        var settings = new RetentionSettings().With("labels=7y").With("decisions=400d");

        Assert.Equal(TimeSpan.FromDays(7 * 366), settings.Labels);
        Assert.Equal("7y", RetentionSettings.Format(settings.Labels));
        Assert.Equal("400d", RetentionSettings.Format(settings.Decisions));
        Assert.Equal("5y", RetentionSettings.Format(new RetentionSettings().Transactions));
    }
}
