using Amlfs.Alerts.Delivery;
using Amlfs.Alerts.Outbox;
using Amlfs.Alerts.Queries;
using Amlfs.Alerts.Rules;
using Amlfs.Storage;

namespace Amlfs.Alerts.Tests.Outbox;

public sealed class OutboxTests : IDisposable
{
    private static readonly AlertRuleSet Rules = Fixtures.Rules("""
        channels:
          - name: ops
            type: webhook
            url: http://127.0.0.1:9/unused
          - name: audit
            type: webhook
            url: http://127.0.0.1:9/unused
        rules:
          - name: high
            kind: high_decision
            channels: [ops, audit]
        """);

    private readonly TestDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private string OutboxPath => Path.Combine(_data.Path, AlertOutbox.DirectoryName, AlertOutbox.FileName);

    [Fact]
    public async Task Alerts_raised_before_a_crash_are_delivered_after_the_restart_once_per_dedupe_key_and_channel()
    {
        var time = Fixtures.Clock();
        var decisions = new[] { Fixtures.High("t-1", "c-1", Fixtures.StartMs), Fixtures.High("t-2", "c-2", Fixtures.StartMs), Fixtures.High("t-3", "c-3", Fixtures.StartMs) };
        byte[] crashImage;
        var ops = new RecordingChannel("ops");
        var audit = new RecordingChannel("audit", DeliveryResult.Retry("down"));
        await using (var engine = Fixtures.Engine(_data.Path, Rules, time, Channels(ops, audit)))
        {
            engine.OnDecisions(decisions[..1]);
            await engine.DeliverDueAsync(); // t-1: ops delivered, audit failed once and waits
            engine.OnDecisions(decisions[1..]);
            // The process dies here: what is on disk is all that survives.
            crashImage = ReadShared(OutboxPath);
        }

        File.WriteAllBytes(OutboxPath, [.. crashImage, .. OutboxFormat.Frame(OutboxRecordType.Raised, "{\"sequence\":"u8)[..12]]);
        var opsAfter = new RecordingChannel("ops");
        var auditAfter = new RecordingChannel("audit");
        await using (var restarted = Fixtures.Engine(_data.Path, Rules, time, Channels(opsAfter, auditAfter)))
        {
            Assert.Empty(restarted.OnDecisions(decisions)); // the stream replays them: already raised
            await restarted.DeliverDueAsync();
            time.Advance(TimeSpan.FromMinutes(10));
            await restarted.DeliverDueAsync();

            Assert.Equal(["high:t-2", "high:t-3"], opsAfter.Attempts.Select(a => a.DedupeKey));
            Assert.Equal(["high:t-1", "high:t-2", "high:t-3"], auditAfter.Attempts.Select(a => a.DedupeKey));
            Assert.All(restarted.Recent.Query(new AlertQuery()), a => Assert.All(a.Deliveries, d => Assert.Equal(DeliveryStatus.Delivered, d.Status)));
        }

        var opsLater = new RecordingChannel("ops");
        var auditLater = new RecordingChannel("audit");
        await using (var again = Fixtures.Engine(_data.Path, Rules, time, Channels(opsLater, auditLater)))
        {
            await again.DeliverDueAsync();
            Assert.Equal(0, again.PendingDeliveries);
        }

        Assert.Empty(opsLater.Attempts);
        Assert.Empty(auditLater.Attempts);
        Assert.Equal(["high:t-1"], ops.Attempts.Select(a => a.DedupeKey));
    }

    [Fact]
    public async Task A_record_torn_by_a_crash_is_cut_at_open_and_the_records_before_it_kept()
    {
        var time = Fixtures.Clock();
        long whole;
        await using (var engine = Fixtures.Engine(_data.Path, Rules, time, Channels(new RecordingChannel("ops"), new RecordingChannel("audit"))))
        {
            engine.OnDecisions([Fixtures.High("t-1", "c-1", Fixtures.StartMs)]);
            whole = new FileInfo(OutboxPath).Length;
            engine.OnDecisions([Fixtures.High("t-2", "c-2", Fixtures.StartMs)]);
        }

        // The crash came while the second alert's record was being written: 20 bytes of it reached the disk.
        using (var file = new FileStream(OutboxPath, FileMode.Open, FileAccess.Write))
            file.SetLength(whole + 20);

        await using (var restarted = Fixtures.Engine(_data.Path, Rules, time, Channels(new RecordingChannel("ops"), new RecordingChannel("audit"))))
        {
            Assert.Equal(["high:t-1"], restarted.Recent.Query(new AlertQuery()).Select(a => a.Alert.DedupeKey));
            Assert.Equal(2, restarted.PendingDeliveries);
        }

        Assert.Equal(whole, new FileInfo(OutboxPath).Length);
    }

    [Fact]
    public async Task A_record_whose_checksum_does_not_match_is_cut_with_everything_after_it()
    {
        var time = Fixtures.Clock();
        long whole;
        await using (var engine = Fixtures.Engine(_data.Path, Rules, time, Channels(new RecordingChannel("ops"), new RecordingChannel("audit"))))
        {
            engine.OnDecisions([Fixtures.High("t-1", "c-1", Fixtures.StartMs)]);
            whole = new FileInfo(OutboxPath).Length;
            engine.OnDecisions([Fixtures.High("t-2", "c-2", Fixtures.StartMs)]);
        }

        var bytes = File.ReadAllBytes(OutboxPath);
        bytes[whole + OutboxFormat.RecordHeaderBytes + 3] ^= 0x20;
        File.WriteAllBytes(OutboxPath, bytes);

        await using (var restarted = Fixtures.Engine(_data.Path, Rules, time, Channels(new RecordingChannel("ops"), new RecordingChannel("audit"))))
            Assert.Single(restarted.Recent.Query(new AlertQuery()));

        Assert.Equal(whole, new FileInfo(OutboxPath).Length);
    }

    [Fact]
    public async Task Settled_alerts_older_than_the_retention_are_compacted_away_and_undelivered_ones_kept()
    {
        var time = Fixtures.Clock();
        await using (var engine = Fixtures.Engine(_data.Path, Rules, time, Channels(new RecordingChannel("ops"), new RecordingChannel("audit"))))
        {
            engine.OnDecisions([Fixtures.High("t-1", "c-1", Fixtures.StartMs)]);
            await engine.DeliverDueAsync();
            engine.OnDecisions([Fixtures.High("t-2", "c-2", Fixtures.StartMs)]);
        }

        var before = new FileInfo(OutboxPath).Length;
        time.Advance(TimeSpan.FromDays(8));
        var ops = new RecordingChannel("ops");
        await using (var restarted = Fixtures.Engine(_data.Path, Rules, time, Channels(ops, new RecordingChannel("audit"))))
        {
            Assert.Equal(["high:t-2"], restarted.Recent.Query(new AlertQuery()).Select(a => a.Alert.DedupeKey));
            await restarted.DeliverDueAsync();
            var next = Assert.Single(restarted.OnDecisions([Fixtures.High("t-9", "c-9", Fixtures.StartMs)]));
            Assert.Equal(3, next.Sequence);
        }

        Assert.Equal(["high:t-2"], ops.Attempts.Select(a => a.DedupeKey));
        Assert.True(new FileInfo(OutboxPath).Length < before + 1000);
    }

    [Fact]
    public async Task A_second_engine_on_the_same_data_directory_is_refused()
    {
        var time = Fixtures.Clock();
        await using var engine = Fixtures.Engine(_data.Path, Fixtures.Rules("rules: []"), time);

        Assert.Throws<DataDirectoryInUseException>(() => Fixtures.Engine(_data.Path, Fixtures.Rules("rules: []"), time));
    }

    [Fact]
    public void A_file_that_is_not_an_outbox_is_left_alone()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(OutboxPath)!);
        File.WriteAllText(OutboxPath, "these are somebody's notes, not an outbox");

        Assert.Throws<InvalidDataException>(() => Fixtures.Engine(_data.Path, Fixtures.Rules("rules: []"), Fixtures.Clock()));
        Assert.Equal("these are somebody's notes, not an outbox", File.ReadAllText(OutboxPath));
    }

    private static Dictionary<string, IAlertChannel> Channels(params IAlertChannel[] channels) => channels.ToDictionary(c => c.Name);

    private static byte[] ReadShared(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var copy = new MemoryStream();
        file.CopyTo(copy);
        return copy.ToArray();
    }
}
