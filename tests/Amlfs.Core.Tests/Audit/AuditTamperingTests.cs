using System.Text;
using Amlfs.Audit;
using Amlfs.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Core.Tests.Audit;

/// <summary>Any change to a stored record makes verify name exactly that record, or the first one it displaces.</summary>
public sealed class AuditTamperingTests : IDisposable
{
    private const int Records = 6;
    private readonly TempDirectory _directory = new();
    private readonly string _file;

    public AuditTamperingTests()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        var log = new AuditLog(_directory.Path, clock);
        for (var i = 1; i <= Records; i++)
        {
            log.Record("cli:user" + i, AuditActions.CaseNoted, "case-" + i, new Dictionary<string, string?> { ["note"] = "looked at transfer " + i });
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        _file = Directory.GetFiles(Path.Combine(_directory.Path, "audit"), "*.jsonl").Single();
    }

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(3, "\"actor\":\"cli:user", 0)] // a letter of the actor
    [InlineData(4, "looked at", 3)] // a letter of the details
    [InlineData(2, "\"hash\":\"", 10)] // a digit of the record's own hash
    [InlineData(5, "\"prev\":\"", 0)] // a digit of the link to the record before
    [InlineData(1, "\"time\":\"", 5)] // a digit of the time
    [InlineData(6, "\"subject\":\"", 2)] // the last record's subject
    public void Changing_one_byte_of_a_record_names_that_record(int sequence, string anchor, int offset)
    {
        var lines = File.ReadAllLines(_file);
        var line = lines[sequence - 1];
        var at = line.IndexOf(anchor, StringComparison.Ordinal) + anchor.Length + offset;
        var bytes = Encoding.UTF8.GetBytes(line);
        bytes[at] = bytes[at] == (byte)'a' ? (byte)'b' : char.IsAsciiDigit((char)bytes[at]) ? (byte)('0' + (bytes[at] - '0' + 1) % 10) : (byte)'a';
        lines[sequence - 1] = Encoding.UTF8.GetString(bytes);
        Write(lines);

        var result = AuditVerifier.Verify(_directory.Path);
        var broken = Assert.IsType<AuditBreak>(result.Break);
        Assert.Equal((_file, (long)sequence, (long?)sequence), (broken.File, broken.Line, broken.Sequence));
        Assert.Equal(sequence - 1, result.Records);
    }

    [Fact]
    public void Every_single_byte_change_is_detected_at_its_record()
    {
        var original = File.ReadAllBytes(_file);
        var lineOf = new int[original.Length];
        for (int i = 0, line = 1; i < original.Length; i++)
        {
            lineOf[i] = line;
            if (original[i] == (byte)'\n')
                line++;
        }

        for (var i = 0; i < original.Length; i++)
        {
            if (original[i] == (byte)'\n')
                continue; // a line end changed joins two lines: covered by the line tests
            var changed = (byte[])original.Clone();
            changed[i] = (byte)(original[i] == (byte)'x' ? 'y' : 'x');
            File.WriteAllBytes(_file, changed);
            var broken = AuditVerifier.Verify(_directory.Path).Break;
            Assert.True(broken is not null && broken.Line == lineOf[i], $"byte {i} (line {lineOf[i]}) changed: {broken?.Line}");
        }
    }

    [Fact]
    public void A_deleted_line_names_the_record_after_it()
    {
        var lines = File.ReadAllLines(_file).ToList();
        lines.RemoveAt(2);
        Write(lines);

        var broken = Assert.IsType<AuditBreak>(AuditVerifier.Verify(_directory.Path).Break);
        Assert.Equal((3L, (long?)4), (broken.Line, broken.Sequence));
        Assert.Contains("sequence 4 where 3 was expected", broken.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_swapped_lines_name_the_first_of_them()
    {
        var lines = File.ReadAllLines(_file);
        (lines[3], lines[4]) = (lines[4], lines[3]);
        Write(lines);

        var broken = Assert.IsType<AuditBreak>(AuditVerifier.Verify(_directory.Path).Break);
        Assert.Equal((4L, (long?)5), (broken.Line, broken.Sequence));
    }

    [Fact]
    public void A_record_rewritten_with_a_recomputed_hash_breaks_the_link_of_the_next()
    {
        var lines = File.ReadAllLines(_file);
        var original = AuditFormat.TryParse(Encoding.UTF8.GetBytes(lines[1]), out _)!;
        var forged = AuditFormat.Line(2, original.Time, "cli:someone-else", original.Action, original.Subject, original.Details, original.Prev, out _);
        lines[1] = Encoding.UTF8.GetString(forged).TrimEnd('\n');
        Write(lines);

        var broken = Assert.IsType<AuditBreak>(AuditVerifier.Verify(_directory.Path).Break);
        Assert.Equal((3L, (long?)3), (broken.Line, broken.Sequence));
        Assert.Contains("prev", broken.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Anchors_before_the_first_break_are_checked_and_those_after_it_are_reported_unchecked()
    {
        var records = AuditReader.Records(_directory.Path).Select(r => AuditAnchor.Of(r.Record)).ToArray();
        var lines = File.ReadAllLines(_file).ToList();
        lines.RemoveAt(3);
        Write(lines);
        var wrong = records[1] with { Hash = records[2].Hash };

        var result = AuditVerifier.Verify(_directory.Path, [records[0], wrong, records[5]]);

        Assert.Equal((4L, (long?)5), (result.Break?.Line, result.Break?.Sequence));
        Assert.Equal([wrong, records[5]], result.AnchorFailures.Select(f => f.Anchor));
        Assert.StartsWith($"record 2 has hash {records[1].Hash}: the trail was rewritten", result.AnchorFailures[0].Reason, StringComparison.Ordinal);
        Assert.Equal($"record 6 not checked: the chain breaks before it, at {_file} line 4", result.AnchorFailures[1].Reason);
    }

    [Theory]
    [InlineData("42:9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08", true)]
    [InlineData("42:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", true)]
    [InlineData("+42:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", false)]
    [InlineData(" 42:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", false)]
    [InlineData("42:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0", false)]
    [InlineData("42:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 ", false)]
    [InlineData("42", false)]
    [InlineData("", false)]
    public void An_anchor_reads_as_a_sequence_and_64_hex_digits_kept_in_lower_case(string text, bool valid)
    {
        Assert.Equal(valid, AuditAnchor.TryParse(text, out var anchor));
        if (valid)
            Assert.Equal("42:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", anchor.ToString());
    }

    private void Write(IEnumerable<string> lines) => File.WriteAllText(_file, string.Join('\n', lines) + "\n");
}
