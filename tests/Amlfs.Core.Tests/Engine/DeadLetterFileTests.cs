using System.Text.Json;
using Amlfs.Engine;
using Amlfs.Privacy;
using Amlfs.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Core.Tests.Engine;

/// <summary>Dead letters keep every field of the rejected transaction but its IP address and device id, which are pseudonyms.</summary>
public sealed class DeadLetterFileTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(Noon);
    private readonly Pseudonymizer _pseudonyms = new(Enumerable.Repeat((byte)7, Pseudonymizer.KeyBytes).ToArray());

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_dead_letter_holds_the_pseudonyms_of_the_ip_and_the_device_never_the_raw_values()
    {
        var transaction = Tx.At(Tx.Utc(2026, 1, 5, 11), ip: "203.0.113.7", id: "T-late") with { DeviceId = "device-42", Channel = "web" };
        using (var deadLetters = new DeadLetterFile(_directory.Path, _clock, _pseudonyms))
            deadLetters.Rejected(transaction, IngestStatus.Late, "older than the watermark");

        var text = File.ReadAllText(DeadLetterFile.FileOf(_directory.Path, new DateOnly(2026, 1, 5)));
        Assert.DoesNotContain("203.0.113.7", text, StringComparison.Ordinal);
        Assert.DoesNotContain("device-42", text, StringComparison.Ordinal);
        using var line = JsonDocument.Parse(text);
        var root = line.RootElement;
        Assert.Equal(_pseudonyms.IpAddress("203.0.113.7"), root.GetProperty("ip_address").GetString());
        Assert.Equal(_pseudonyms.DeviceId("device-42"), root.GetProperty("device_id").GetString());
        Assert.Equal(("late", "T-late", "CUST_1", "web"), (root.GetProperty("reason").GetString(), root.GetProperty("transaction_id").GetString(),
            root.GetProperty("customer_id").GetString(), root.GetProperty("channel").GetString()));
    }

    [Fact]
    public void Each_utc_day_of_rejection_has_its_own_file()
    {
        using (var deadLetters = new DeadLetterFile(_directory.Path, _clock, _pseudonyms))
        {
            deadLetters.Rejected(Tx.At(Tx.Utc(2026, 1, 5, 11)), IngestStatus.Late, "a");
            _clock.Advance(TimeSpan.FromHours(12));
            deadLetters.Rejected(Tx.At(Tx.Utc(2026, 1, 6, 11)), IngestStatus.Late, "b");
            deadLetters.Rejected(Tx.At(Tx.Utc(2026, 1, 6, 11)), IngestStatus.FutureTimestamp, "c");
        }

        Assert.Single(File.ReadAllLines(DeadLetterFile.FileOf(_directory.Path, new DateOnly(2026, 1, 5))));
        Assert.Equal(2, File.ReadAllLines(DeadLetterFile.FileOf(_directory.Path, new DateOnly(2026, 1, 6))).Length);
        Assert.Equal(new DateOnly(2026, 1, 6), DeadLetterFile.DayOf("rejected-2026-01-06.jsonl"));
        Assert.Null(DeadLetterFile.DayOf("rejected.jsonl"));
    }
}
