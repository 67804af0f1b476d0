using System.Globalization;
using System.Text.Json;
using Amlfs.Audit;
using Amlfs.Testing;

namespace Amlfs.Cli.Tests.Commands;

/// <summary>
/// <c>amlfs audit verify</c> and <c>export</c>, and the commands that leave records: apply, model activation and
/// rollback, from this process and from real <c>amlfs</c> processes writing at once.
/// </summary>
public sealed class AuditCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Data => _cli.PathOf("data");

    private static string Actor => "cli:" + Environment.UserName;

    private AuditRecord[] Records => AuditReader.Records(Data).Select(r => r.Record).ToArray();

    // The last record as an intact verify prints it, ready to pass to --expect.
    private static string LastRecordPrinted(CliResult verify)
    {
        Assert.Equal(0, verify.ExitCode);
        const string Marker = ", last record ";
        var line = verify.OutputLines[0];
        return line[(line.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length)..];
    }

    private void RecordKeys(int count)
    {
        var log = new AuditLog(Data, _cli.Clock);
        for (var i = 0; i < count; i++)
            log.Record("cli:ana", AuditActions.KeyCreated, "key-" + i.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Apply_and_model_activation_and_rollback_leave_records_that_verify()
    {
        _cli.Write("features.yaml", DefinitionTexts.WithCustomerFeature(DefinitionTexts.PeakHoursFeature));
        Assert.Equal(0, _cli.Run("apply").ExitCode);
        Assert.Equal(0, _cli.Run("apply").ExitCode); // unchanged: nothing applied, nothing recorded
        TestModels.Train(Data, seed: 1);
        TestModels.Train(Data, seed: 2);
        Assert.Equal(0, _cli.Run("models", "activate", "gbt-1").ExitCode);
        Assert.Equal(0, _cli.Run("models", "activate", "gbt-2").ExitCode);
        Assert.Equal(0, _cli.Run("models", "rollback").ExitCode);

        Assert.Equal(
            [
                (AuditActions.DefinitionsApplied, "1", "0"),
                (AuditActions.ModelActivated, "gbt-1", "rules"),
                (AuditActions.ModelActivated, "gbt-2", "gbt-1"),
                (AuditActions.ModelRolledBack, "gbt-1", "gbt-2"),
            ],
            Records.Select(r => (r.Action, r.Subject, r.Details["previous"])));
        Assert.All(Records, r => Assert.Equal(Actor, r.Actor));
        Assert.Equal(CliHarness.Start, Records[0].Time);
        Assert.Equal("features.yaml", Records[0].Details["file"]);

        var verify = _cli.Run("audit", "verify");
        Assert.Equal((0, ""), (verify.ExitCode, verify.Error));
        Assert.Equal($"audit trail intact: 4 records, last record 4:{Records[^1].Hash}", verify.Output.Trim());
    }

    [Fact]
    public void Verify_exits_1_naming_the_file_line_sequence_and_reason_of_the_first_broken_record()
    {
        var log = new AuditLog(Data, _cli.Clock);
        for (var i = 0; i < 3; i++)
            log.Record("cli:ana", AuditActions.KeyCreated, "key-" + i);
        var file = Directory.GetFiles(Path.Combine(Data, "audit"), "*.jsonl").Single();
        File.WriteAllText(file, File.ReadAllText(file).Replace("key-1", "key-9", StringComparison.Ordinal));

        var result = _cli.Run("audit", "verify", "--data-dir", "data");

        Assert.Equal((1, ""), (result.ExitCode, result.Output));
        Assert.StartsWith($"amlfs audit verify: broken at {file} line 2 (sequence 2): hash ", result.ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains("the record was changed", result.ErrorLines[0], StringComparison.Ordinal);
        Assert.StartsWith("amlfs audit verify: 1 records intact before it, last record 1:", result.ErrorLines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Records_cut_off_the_end_are_caught_by_an_expected_record_and_not_without()
    {
        RecordKeys(5);
        var anchor = LastRecordPrinted(_cli.Run("audit", "verify"));
        Assert.Equal($"5:{Records[^1].Hash}", anchor);
        var file = Directory.GetFiles(Path.Combine(Data, "audit"), "*.jsonl").Single();
        File.WriteAllLines(file, File.ReadAllLines(file)[..3]);

        var without = _cli.Run("audit", "verify");
        Assert.Equal((0, "audit trail intact: 3 records, last record 3:" + Records[^1].Hash), (without.ExitCode, without.Output.Trim()));

        var with = _cli.Run("audit", "verify", "--expect", anchor);
        Assert.Equal((1, ""), (with.ExitCode, with.Output));
        Assert.Equal(
            [
                $"amlfs audit verify: expected {anchor}: record 5 is missing: the trail ends at sequence 3, so records were cut off its end",
                $"amlfs audit verify: the chain itself is intact: 3 records, last record 3:{Records[^1].Hash}",
            ],
            with.ErrorLines);
    }

    [Fact]
    public void A_trail_rewritten_with_every_hash_recomputed_is_caught_by_an_expected_record()
    {
        RecordKeys(4);
        var anchor = LastRecordPrinted(_cli.Run("audit", "verify"));
        var file = Directory.GetFiles(Path.Combine(Data, "audit"), "*.jsonl").Single();
        var rewritten = new List<byte>();
        var prev = AuditFormat.GenesisHash;
        foreach (var record in Records)
        {
            var subject = record.Sequence == 2 ? "key-forged" : record.Subject;
            rewritten.AddRange(AuditFormat.Line(record.Sequence, record.Time, record.Actor, record.Action, subject, record.Details, prev, out prev));
        }

        File.WriteAllBytes(file, [.. rewritten]);

        // The rewritten chain is intact in itself: only the anchor kept outside it tells.
        var without = _cli.Run("audit", "verify");
        Assert.Equal(0, without.ExitCode);
        Assert.Equal("key-forged", Records[1].Subject);
        Assert.NotEqual(anchor, LastRecordPrinted(without));

        var with = _cli.Run("audit", "verify", "--data-dir", "data", "--expect", anchor);
        Assert.Equal((1, ""), (with.ExitCode, with.Output));
        Assert.StartsWith($"amlfs audit verify: expected {anchor}: record 4 has hash {Records[^1].Hash}: the trail was rewritten", with.ErrorLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Expected_records_that_are_in_the_trail_with_their_hashes_pass()
    {
        RecordKeys(3);
        var first = LastRecordPrinted(_cli.Run("audit", "verify"));
        RecordKeys(2);
        var second = LastRecordPrinted(_cli.Run("audit", "verify"));

        var result = _cli.Run("audit", "verify", "--expect", first, "--expect", second.ToUpperInvariant());

        Assert.Equal((0, ""), (result.ExitCode, result.Error));
        Assert.Equal(
            [$"audit trail intact: 5 records, last record {second}", $"expected records found: {first}, {second}"],
            result.OutputLines);
        Assert.Equal("3:" + Records[2].Hash, first);
    }

    [Theory]
    [InlineData("7")]
    [InlineData("7:abc")]
    [InlineData("0:" + AuditFormat.GenesisHash)]
    [InlineData("-7:" + AuditFormat.GenesisHash)]
    [InlineData(":" + AuditFormat.GenesisHash)]
    [InlineData("seven:" + AuditFormat.GenesisHash)]
    [InlineData("7:" + AuditFormat.GenesisHash + "0")]
    [InlineData("7:" + "g000000000000000000000000000000000000000000000000000000000000000")]
    public void A_malformed_expected_record_is_named(string value)
    {
        RecordKeys(1);

        var result = _cli.Run("audit", "verify", "--expect", value);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"--expect: '{value}' is not SEQ:HASH", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_writes_the_records_of_the_period_from_inclusive_to_exclusive_as_stored()
    {
        var log = new AuditLog(Data, _cli.Clock);
        for (var hour = 0; hour < 4; hour++)
        {
            log.Record("system", AuditActions.AlertRaised, "rule:" + hour.ToString(CultureInfo.InvariantCulture));
            _cli.Clock.Advance(TimeSpan.FromHours(1));
        }

        var stored = File.ReadAllLines(Directory.GetFiles(Path.Combine(Data, "audit"), "*.jsonl").Single());
        var from = CliHarness.Start.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var to = CliHarness.Start.AddHours(3).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

        var export = _cli.Run("audit", "export", "--from", from, "--to", to);
        Assert.Equal((0, ""), (export.ExitCode, export.Error));
        Assert.Equal(stored[1..3], export.OutputLines);
        Assert.Equal("rule:1", JsonDocument.Parse(export.OutputLines[0]).RootElement.GetProperty("subject").GetString());

        var toFile = _cli.Run("audit", "export", "--from", "2025-03-14", "--output", "audit.jsonl");
        Assert.Equal(0, toFile.ExitCode);
        Assert.Equal(stored, File.ReadAllLines(_cli.PathOf("audit.jsonl")));
        Assert.Contains("4 records written to audit.jsonl", toFile.Error, StringComparison.Ordinal);

        Assert.Empty(_cli.Run("audit", "export", "--from", "2025-03-15").OutputLines);
        Assert.Equal(1, _cli.Run("audit", "export", "--from", to, "--to", from).ExitCode);
    }

    [Fact]
    public async Task Amlfs_processes_and_this_one_appending_at_once_leave_one_intact_chain()
    {
        const int Processes = 4;
        using var done = new CancellationTokenSource();
        var inProcess = 0;
        var writer = Task.Run(() =>
        {
            var log = new AuditLog(Data, TimeProvider.System);
            while (!done.IsCancellationRequested || inProcess < 50)
            {
                log.Record("test", AuditActions.AlertRaised, inProcess.ToString(CultureInfo.InvariantCulture));
                inProcess++;
            }
        });
        // The amlfs processes activate at once (the model registry serializes them on its lock), while the audit trail
        // is written from this process meanwhile.
        var results = await Task.WhenAll(Enumerable.Range(0, Processes).Select(_ => Task.Run(() => _cli.RunProcess("models", "activate", "rules", "--data-dir", "data"))));
        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Error));
        Assert.Equal(Processes, new Amlfs.Learning.Models.ModelRegistry(Data).Activation.History.Count);
        await done.CancelAsync();
        await writer;

        var verify = _cli.RunProcess("audit", "verify", "--data-dir", "data");
        Assert.True(verify.ExitCode == 0, verify.Error);
        Assert.Contains($"audit trail intact: {Processes + inProcess} records", verify.Output, StringComparison.Ordinal);
        Assert.Equal(Processes, Records.Count(r => r.Action == AuditActions.ModelActivated && r.Actor == Actor));
        Assert.Equal(Enumerable.Range(0, inProcess).Select(i => i.ToString(CultureInfo.InvariantCulture)), Records.Where(r => r.Actor == "test").Select(r => r.Subject));
    }

    [Fact]
    public void The_python_verifier_of_the_docs_agrees_with_audit_verify()
    {
        if (!File.Exists("/usr/bin/python3"))
            return; // the docs' snippet needs Python; where it is absent there is nothing to compare
        var log = new AuditLog(Data, _cli.Clock, maxFileBytes: 400);
        for (var i = 0; i < 5; i++)
        {
            log.Record("cli:ana", AuditActions.CaseNoted, "case-1", new Dictionary<string, string?> { ["note"] = "saw \"it\", hash", ["hash"] = "x" });
            _cli.Clock.Advance(TimeSpan.FromHours(9));
        }

        var docs = RepositoryFiles.Read("docs/audit.md");
        var start = docs.IndexOf("```python\n", StringComparison.Ordinal) + "```python\n".Length;
        var script = _cli.Write("verify.py", docs[start..docs.IndexOf("```", start, StringComparison.Ordinal)]);

        var python = _cli.RunProgram("/usr/bin/python3", script);

        Assert.True(python.ExitCode == 0, python.Error);
        Assert.Equal($"5 records, last hash {AuditVerifier.Verify(Data).LastHash}", python.Output.Trim());
    }
}
