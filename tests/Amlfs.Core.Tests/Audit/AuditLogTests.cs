using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amlfs.Audit;
using Amlfs.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Core.Tests.Audit;

/// <summary>The audit trail chains its records, continues across instances and files, and survives concurrent writers and torn tails.</summary>
public sealed class AuditLogTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 14, 30, 0, 123, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(Start);

    public void Dispose() => _directory.Dispose();

    private string AuditDirectory => Path.Combine(_directory.Path, "audit");

    private string[] AuditFiles => Directory.GetFiles(AuditDirectory, "audit-*.jsonl").Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Appended_records_chain_and_verify()
    {
        var log = new AuditLog(_directory.Path, _clock);
        var first = log.Append("cli:ana", AuditActions.ModelActivated, "gbt-2", new Dictionary<string, string?> { ["previous"] = "rules", ["note"] = null });
        _clock.Advance(TimeSpan.FromSeconds(1.5));
        var second = log.Append("system", AuditActions.AlertRaised, "high_risk_decision:CUST_1");

        Assert.Equal((1L, AuditFormat.GenesisHash), (first.Sequence, first.Prev));
        Assert.Equal((2L, first.Hash), (second.Sequence, second.Prev));
        var lines = File.ReadAllLines(Assert.Single(AuditFiles));
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("""{"sequence":1,"time":"2026-01-05T14:30:00.123Z","actor":"cli:ana","action":"model.activated","subject":"gbt-2","details":{"note":null,"previous":"rules"},"prev":"0000""", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"time\":\"2026-01-05T14:30:01.623Z\"", lines[1], StringComparison.Ordinal);

        // The documented hashing input: the line up to ,"hash": followed by }.
        var body = lines[1][..lines[1].IndexOf(",\"hash\":", StringComparison.Ordinal)] + "}";
        Assert.Equal(second.Hash, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body))));
        using var json = JsonDocument.Parse(lines[1]);
        Assert.Equal(second.Hash, json.RootElement.GetProperty("hash").GetString());

        var result = AuditVerifier.Verify(_directory.Path);
        Assert.True(result.Intact, result.Break?.Reason);
        Assert.Equal((2L, 2L, second.Hash), (result.Records, result.LastSequence, result.LastHash));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void A_new_instance_continues_the_chain()
    {
        var before = new AuditLog(_directory.Path, _clock).Append("cli:ana", AuditActions.DefinitionsApplied, "1");
        var after = new AuditLog(_directory.Path, _clock).Append("cli:bea", AuditActions.DefinitionsApplied, "2");

        Assert.Equal((2L, before.Hash), (after.Sequence, after.Prev));
        Assert.Equal(2, AuditVerifier.Verify(_directory.Path).Records);
    }

    [Fact]
    public void The_chain_continues_across_a_new_day_and_past_the_size_limit()
    {
        var log = new AuditLog(_directory.Path, _clock, maxFileBytes: 400);
        for (var i = 0; i < 4; i++)
            log.Record("system", AuditActions.AlertRaised, "rule:" + i);
        _clock.Advance(TimeSpan.FromDays(1));
        log.Record("system", AuditActions.AlertRaised, "next day");

        var files = AuditFiles.Select(f => Path.GetFileName(f)).ToArray();
        Assert.Equal(
            ["audit-20260105-00000000000000000001.jsonl", "audit-20260105-00000000000000000003.jsonl", "audit-20260106-00000000000000000005.jsonl"],
            files);
        var result = AuditVerifier.Verify(_directory.Path);
        Assert.True(result.Intact, result.Break?.Reason);
        Assert.Equal(5, result.Records);
    }

    [Fact]
    public async Task Two_writers_appending_at_once_leave_one_intact_chain_with_every_record()
    {
        const int PerWriter = 200;
        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(() =>
        {
            var log = new AuditLog(_directory.Path, TimeProvider.System, maxFileBytes: 16 * 1024);
            for (var i = 0; i < PerWriter; i++)
                log.Record("writer-" + w, AuditActions.AlertRaised, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        })).ToArray();
        await Task.WhenAll(writers);

        var result = AuditVerifier.Verify(_directory.Path);
        Assert.True(result.Intact, result.Break?.Reason);
        Assert.Equal(2 * PerWriter, result.Records);
        var records = AuditReader.Records(_directory.Path).Select(r => r.Record).ToArray();
        for (var w = 0; w < 2; w++)
            Assert.Equal(Enumerable.Range(0, PerWriter).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), records.Where(r => r.Actor == "writer-" + w).Select(r => r.Subject));
    }

    [Fact]
    public void A_torn_tail_is_moved_aside_at_the_next_append_and_reported_by_verify()
    {
        var log = new AuditLog(_directory.Path, _clock);
        var kept = log.Append("cli:ana", AuditActions.ModelActivated, "gbt-1");
        var file = Assert.Single(AuditFiles);
        var intact = File.ReadAllBytes(file).Length;
        File.AppendAllText(file, """{"sequence":2,"time":"2026-01-05T14:3""");

        // Before the next append: intact, with a warning about the line without an end.
        var before = AuditVerifier.Verify(_directory.Path);
        Assert.True(before.Intact, before.Break?.Reason);
        Assert.Contains(before.Warnings, w => w.Contains("without a line end", StringComparison.Ordinal));

        var next = log.Append("cli:ana", AuditActions.ModelRolledBack, "rules");
        Assert.Equal((2L, kept.Hash), (next.Sequence, next.Prev));
        var torn = Assert.Single(Directory.GetFiles(AuditDirectory, "*.torn"));
        Assert.Equal(Path.GetFileName(file) + "." + intact + ".torn", Path.GetFileName(torn));
        Assert.Equal("""{"sequence":2,"time":"2026-01-05T14:3""", File.ReadAllText(torn));

        var after = AuditVerifier.Verify(_directory.Path);
        Assert.True(after.Intact, after.Break?.Reason);
        Assert.Equal(2, after.Records);
        Assert.Contains(after.Warnings, w => w.Contains(".torn", StringComparison.Ordinal) && w.Contains("torn record", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_left_empty_by_a_crash_is_replaced()
    {
        var log = new AuditLog(_directory.Path, _clock);
        log.Record("a", AuditActions.KeyCreated, "k1");
        _clock.Advance(TimeSpan.FromDays(1));
        File.WriteAllBytes(Path.Combine(AuditDirectory, "audit-20260106-00000000000000000002.jsonl"), []);

        Assert.Equal(2, log.Append("a", AuditActions.KeyRevoked, "k1").Sequence);
        Assert.True(AuditVerifier.Verify(_directory.Path).Intact);
    }

    [Fact]
    public void An_absent_trail_verifies_with_no_records()
    {
        var result = AuditVerifier.Verify(_directory.Path);
        Assert.True(result.Intact);
        Assert.Equal((0L, AuditFormat.GenesisHash), (result.Records, result.LastHash));
    }
}
