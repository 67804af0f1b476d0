using Amlfs.Audit;
using Amlfs.Engine;
using Amlfs.OfflineStore;
using Amlfs.Retention;
using Amlfs.Security;
using Amlfs.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Server.Tests;

/// <summary>
/// The embedded server keeps IP addresses and device ids out of its dead letters and its log, and sweeps expired days
/// before it opens its port.
/// </summary>
public sealed class PersonalDataTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_rejected_transaction_leaves_only_pseudonyms_in_the_dead_letters_and_the_trace_log()
    {
        var logs = new LineLogger();
        await using (var server = await RunningServer.StartAsync(
            new FakeTimeProvider(Now), _directory.Path,
            configure: s => s with { LogLevel = LogLevel.Trace, LogFeatures = true },
            logging: l => l.AddProvider(new LineLoggerProvider(logs)).SetMinimumLevel(LogLevel.Trace)))
        {
            var (status, body) = await server.PostJsonAsync("/transactions", Requests.Array(
            [
                Requests.Transaction("T1", "C1", 10m, Now.AddMinutes(-1), ip: "198.51.100.23", device: "PHONE_SECRET_1"),
                Requests.Transaction("T2", "C1", 10m, Now.AddHours(-2), ip: "198.51.100.24", device: "PHONE_SECRET_2"),
                Requests.Transaction("T3", "C1", 10m, Now.AddHours(2), ip: "198.51.100.25", device: "PHONE_SECRET_3"),
                """{"transaction_id":"T4","customer_id":"C1","merchant_id":"M1","amount":-1,"ip_address":"198.51.100.26","device_id":"PHONE_SECRET_4"}""",
            ]));
            Assert.Equal((200, 3), (status, body.GetProperty("rejected").GetInt32()));
            var (predicted, _) = await server.PostJsonAsync("/predict", Requests.Transaction("P1", "C1", 10m, ip: "198.51.100.27", device: "PHONE_SECRET_5"));
            Assert.Equal(200, predicted);
            var (ipRead, _) = await server.GetJsonAsync("/features/ip/198.51.100.23");
            var (deviceRead, _) = await server.GetJsonAsync("/features/device/PHONE_SECRET_1");
            Assert.Equal((200, 200), (ipRead, deviceRead));
        }

        var pseudonyms = PseudonymKey.Resolve(_directory.Path, configured: null);
        var deadLetters = File.ReadAllText(DeadLetterFile.FileOf(DeadLetterFile.DirectoryOf(_directory.Path), DateOnly.FromDateTime(Now.UtcDateTime)));
        Assert.Contains(pseudonyms.IpAddress("198.51.100.24")!, deadLetters, StringComparison.Ordinal);
        Assert.Contains(pseudonyms.DeviceId("PHONE_SECRET_3")!, deadLetters, StringComparison.Ordinal);
        Assert.NotEmpty(logs.Messages);
        foreach (var raw in new[] { "198.51.100.2", "PHONE_SECRET" })
        {
            Assert.DoesNotContain(raw, deadLetters, StringComparison.Ordinal);
            Assert.DoesNotContain(logs.Messages, m => m.Contains(raw, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_server_sweeps_expired_days_before_it_opens_its_port()
    {
        var expired = DeadLetterFile.FileOf(DeadLetterFile.DirectoryOf(_directory.Path), new DateOnly(2025, 12, 1));
        var kept = DeadLetterFile.FileOf(DeadLetterFile.DirectoryOf(_directory.Path), new DateOnly(2026, 3, 1));
        Directory.CreateDirectory(Path.GetDirectoryName(expired)!);
        File.WriteAllText(expired, "{}\n");
        File.WriteAllText(kept, "{}\n");
        var oldVectors = Path.Combine(DatasetLayout.FeatureLogDirectory(_directory.Path), "customer", "date=2025-12-01");
        Directory.CreateDirectory(oldVectors);

        await using var server = await RunningServer.StartAsync(
            new FakeTimeProvider(Now), _directory.Path, configure: s => s with { Retention = new RetentionSettings().With("dead_letters=30d") });
        var metrics = await server.Client.GetStringAsync("/metrics");

        Assert.False(File.Exists(expired));
        Assert.True(File.Exists(kept));
        Assert.False(Directory.Exists(oldVectors));
        var record = Assert.Single(AuditReader.Records(_directory.Path), r => r.Record.Action == AuditActions.RetentionSwept).Record;
        Assert.Equal("system", record.Actor);
        Assert.Equal("dead-letter/rejected-2025-12-01.jsonl", record.Details[RetentionStores.DeadLetters]);
        Assert.Equal("feature_log/customer/date=2025-12-01", record.Details[RetentionStores.FeatureLog]);
        Assert.Contains("amlfs_retention_deleted_total{store=\"dead_letters\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_period_too_short_stops_the_server_naming_it()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningServer.StartAsync(
            new FakeTimeProvider(Now), _directory.Path, configure: s => s with { Retention = new RetentionSettings().With("decisions=3d") }));

        Assert.Contains("retain decisions: must be at least 9d, got 3d", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_pseudonym_key_stops_the_server_naming_the_variable_and_not_the_value()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningServer.StartAsync(
            new FakeTimeProvider(Now), _directory.Path, configure: s => s with { PseudonymKey = "c2hvcnQ=" }));

        Assert.Contains("AMLFS_PSEUDONYM_KEY: the pseudonym key must have at least 32 bytes, got 5", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2hvcnQ=", error.Message, StringComparison.Ordinal);
    }
}
