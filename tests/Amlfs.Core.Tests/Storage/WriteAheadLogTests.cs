using Amlfs.Storage;
using Amlfs.Testing;
using Amlfs.Transactions;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Core.Tests.Storage;

public sealed class WriteAheadLogTests
{
    private static readonly long Start = Tx.Utc(2026, 3, 10, 12);
    private static readonly WalOptions Small = new() { SegmentBytes = WalOptions.MinSegmentBytes, FlushPolicy = WalFlushPolicy.None };

    [Fact]
    public void Every_field_round_trips_including_nulls_and_non_ASCII_text()
    {
        using var dir = new TempDirectory();
        var written = new[]
        {
            new Transaction
            {
                TransactionId = "TX-ação-💸", CustomerId = "CUST_Ünïcode", MerchantId = "商店-1", AmountCents = long.MaxValue,
                Currency = "EUR", TimestampMs = Start, IpAddress = "2001:db8::1", Channel = "pix", DeviceId = "dispositivo-é",
                Country = "BR", PaymentFormat = "cartão", DestinationType = DestinationType.Account,
            },
            new Transaction { TransactionId = "T2", CustomerId = "C", MerchantId = "M", AmountCents = 1, TimestampMs = 0 },
            new Transaction
            {
                TransactionId = "", CustomerId = "", MerchantId = "", AmountCents = -5, Currency = "", TimestampMs = -1,
                IpAddress = "", Channel = null, DeviceId = "", Country = null, PaymentFormat = "",
            },
            Full(7),
        };
        using (var wal = WriteAheadLog.Open(dir.Path, Small))
        {
            Assert.Equal([1L, 2, 3, 4], written.Select(wal.Append).ToArray());
            wal.Commit();
        }

        using var reopened = WriteAheadLog.Open(dir.Path, Small);
        var read = reopened.ReadFrom(0).ToList();
        Assert.Equal([1L, 2, 3, 4], read.Select(r => r.Sequence));
        Assert.Equal(written, read.Select(r => r.Transaction)); // record equality: every field, nulls included
        Assert.Equal(0, reopened.TruncatedBytes);
    }

    [Fact]
    public void Sequences_are_gapless_across_segment_rolls_and_reopening()
    {
        using var dir = new TempDirectory();
        using (var wal = WriteAheadLog.Open(dir.Path, Small))
        {
            for (var i = 0; i < 150; i++)
            {
                wal.Append(Full(i));
                if (i % 7 == 0)
                    wal.Commit();
            }

            wal.Commit();
            Assert.True(wal.SegmentCount >= 3, $"only {wal.SegmentCount} segments");
        }

        using (var wal = WriteAheadLog.Open(dir.Path, Small))
        {
            Assert.Equal(150, wal.LastSequence);
            for (var i = 150; i < 300; i++)
                Assert.Equal(i + 1, wal.Append(Full(i)));
            wal.Commit();
        }

        using var reopened = WriteAheadLog.Open(dir.Path, Small);
        var read = reopened.ReadFrom(0).ToList();
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), read.Select(r => r.Sequence));
        Assert.Equal(Enumerable.Range(0, 300).Select(i => Full(i).TransactionId), read.Select(r => r.Transaction.TransactionId));
        var segments = reopened.Segments;
        Assert.Equal(Directory.GetFiles(dir.Path, "*.wal").Length, segments.Count);
        for (var i = 0; i < segments.Count; i++)
        {
            Assert.Equal(segments[i].FirstSequence.ToString("D20", System.Globalization.CultureInfo.InvariantCulture) + ".wal", segments[i].FileName);
            Assert.True(segments[i].Bytes <= WalOptions.MinSegmentBytes);
            if (i > 0)
                Assert.Equal(segments[i - 1].LastSequence + 1, segments[i].FirstSequence);
        }

        Assert.Equal(segments.Sum(s => s.Bytes), reopened.TotalBytes);
    }

    [Fact]
    public void ReadFrom_starts_after_the_given_sequence_in_any_segment()
    {
        using var dir = new TempDirectory();
        using var wal = WriteAheadLog.Open(dir.Path, Small);
        for (var i = 0; i < 120; i++)
            wal.Append(Full(i));
        wal.Commit();
        foreach (var after in new long[] { 0, 1, 39, 40, 41, 77, 119, 120 })
            Assert.Equal(Enumerable.Range((int)after + 1, 120 - (int)after).Select(i => (long)i), wal.ReadFrom(after).Select(r => r.Sequence));
    }

    [Fact]
    public void A_tail_cut_at_any_byte_of_the_last_record_is_truncated_and_appends_continue()
    {
        using var source = new TempDirectory();
        using (var wal = WriteAheadLog.Open(source.Path, Small))
        {
            for (var i = 0; i < 3; i++)
                wal.Append(Full(i));
            wal.Commit();
        }

        var segment = Directory.GetFiles(source.Path, "*.wal").Single();
        var bytes = File.ReadAllBytes(segment);
        var lastRecord = bytes.Length - RecordSize(Full(2));
        for (var cut = lastRecord; cut < bytes.Length; cut++)
        {
            using var dir = new TempDirectory();
            File.WriteAllBytes(Path.Combine(dir.Path, Path.GetFileName(segment)), bytes[..cut]);
            using (var wal = WriteAheadLog.Open(dir.Path, Small))
            {
                Assert.Equal(cut - lastRecord, wal.TruncatedBytes);
                Assert.Equal(2, wal.LastSequence);
                Assert.Equal(3, wal.Append(Full(100)));
                wal.Commit();
            }

            using var reopened = WriteAheadLog.Open(dir.Path, Small);
            Assert.Equal(0, reopened.TruncatedBytes);
            Assert.Equal([Full(0).TransactionId, Full(1).TransactionId, Full(100).TransactionId],
                reopened.ReadFrom(0).Select(r => r.Transaction.TransactionId));
        }
    }

    [Fact]
    public void A_zero_filled_tail_is_truncated()
    {
        using var dir = new TempDirectory();
        var segment = WriteLog(dir.Path, 5);
        using (var file = new FileStream(segment, FileMode.Append))
            file.Write(new byte[4096]);
        using var wal = WriteAheadLog.Open(dir.Path, Small);
        Assert.Equal(4096, wal.TruncatedBytes);
        Assert.Contains("zero-filled", wal.Truncation, StringComparison.Ordinal);
        Assert.Equal(5, wal.LastSequence);
        Assert.Equal(6, wal.Append(Full(6)));
    }

    [Fact]
    public void A_flipped_bit_in_the_last_record_drops_that_record_only()
    {
        using var dir = new TempDirectory();
        var segment = WriteLog(dir.Path, 5);
        var bytes = File.ReadAllBytes(segment);
        var size = RecordSize(Full(4));
        bytes[^(size / 2)] ^= 0x10;
        File.WriteAllBytes(segment, bytes);
        using (var wal = WriteAheadLog.Open(dir.Path, Small))
        {
            Assert.Equal(size, wal.TruncatedBytes);
            Assert.Contains("checksum mismatch", wal.Truncation, StringComparison.Ordinal);
            Assert.Equal(4, wal.LastSequence);
            Assert.Equal(5, wal.Append(Full(50)));
            wal.Commit();
        }

        using var reopened = WriteAheadLog.Open(dir.Path, Small);
        Assert.Equal(Full(50), reopened.ReadFrom(4).Single().Transaction);
    }

    [Fact]
    public void Damage_inside_a_middle_segment_throws_naming_the_file_and_offset()
    {
        using var dir = new TempDirectory();
        WriteLog(dir.Path, 150);
        var middle = Directory.GetFiles(dir.Path, "*.wal").Order(StringComparer.Ordinal).ElementAt(1);
        var bytes = File.ReadAllBytes(middle);
        bytes[WalSegmentFormat.HeaderBytes + 100] ^= 0x01;
        File.WriteAllBytes(middle, bytes);

        using var wal = WriteAheadLog.Open(dir.Path, Small); // only the last segment is read whole when opening
        var e = Assert.Throws<InvalidDataException>(() => wal.ReadFrom(0).ToList());
        Assert.Contains(Path.GetFileName(middle), e.Message, StringComparison.Ordinal);
        Assert.Contains("byte offset", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_middle_segment_cut_short_fails_to_open_naming_the_file()
    {
        using var dir = new TempDirectory();
        WriteLog(dir.Path, 150);
        var middle = Directory.GetFiles(dir.Path, "*.wal").Order(StringComparer.Ordinal).ElementAt(1);
        using (var file = new FileStream(middle, FileMode.Open))
            file.SetLength(file.Length - 30);
        var e = Assert.Throws<InvalidDataException>(() => WriteAheadLog.Open(dir.Path, Small));
        Assert.Contains(Path.GetFileName(middle), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_middle_segment_is_a_gap_that_fails_to_open()
    {
        using var dir = new TempDirectory();
        WriteLog(dir.Path, 150);
        var segments = Directory.GetFiles(dir.Path, "*.wal").Order(StringComparer.Ordinal).ToList();
        File.Delete(segments[1]);
        var e = Assert.Throws<InvalidDataException>(() => WriteAheadLog.Open(dir.Path, Small));
        Assert.Contains(Path.GetFileName(segments[0]), e.Message, StringComparison.Ordinal);
        Assert.Contains("next segment begins", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_record_out_of_sequence_in_the_last_segment_is_not_taken_for_a_torn_tail()
    {
        using var dir = new TempDirectory();
        var segment = WriteLog(dir.Path, 2);
        var record = new byte[WalRecordCodec.Instance.MaxRecordBytes(Full(9))];
        var size = WalRecordCodec.Instance.Write(record, 9, Full(9));
        using (var file = new FileStream(segment, FileMode.Append))
            file.Write(record.AsSpan(0, size));
        var e = Assert.Throws<InvalidDataException>(() => WriteAheadLog.Open(dir.Path, Small));
        Assert.Contains("holds sequence 9 where 3 was expected", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_torn_header_of_a_new_last_segment_is_rewritten()
    {
        using var dir = new TempDirectory();
        WriteLog(dir.Path, 150);
        var last = Directory.GetFiles(dir.Path, "*.wal").Order(StringComparer.Ordinal).Last();
        var first = WalSegmentFormat.ParseFileName(Path.GetFileName(last))!.Value;
        File.Delete(last);
        File.WriteAllBytes(last, new byte[10]); // created, then the crash: the header never reached the disk
        using var wal = WriteAheadLog.Open(dir.Path, Small);
        Assert.Equal(10, wal.TruncatedBytes);
        Assert.Equal(first - 1, wal.LastSequence);
        Assert.Equal(first, wal.Append(Full(1_000)));
        wal.Commit();
        Assert.Equal(first, wal.ReadFrom(first - 1).Single().Sequence);
    }

    [Fact]
    public void DeleteSegmentsBefore_removes_only_whole_segments_below_the_sequence_and_keeps_the_active_one()
    {
        using var dir = new TempDirectory();
        WriteLog(dir.Path, 150);
        using (var wal = WriteAheadLog.Open(dir.Path, Small))
        {
            var segments = wal.Segments;
            Assert.Equal(0, wal.DeleteSegmentsBefore(segments[1].FirstSequence - 1)); // the first still holds that record
            Assert.Equal(1, wal.DeleteSegmentsBefore(segments[1].FirstSequence));
            Assert.Equal(segments[1].FirstSequence, wal.FirstSequence);
            Assert.Equal(segments.Count - 2, wal.DeleteSegmentsBefore(long.MaxValue));
            Assert.Equal(1, wal.SegmentCount);
            Assert.True(wal.Segments[0].IsActive);
            Assert.Equal(150, wal.LastSequence);
            Assert.Equal(Enumerable.Range((int)segments[^1].FirstSequence, 151 - (int)segments[^1].FirstSequence).Select(i => (long)i),
                wal.ReadFrom(0).Select(r => r.Sequence));
        }

        using var reopened = WriteAheadLog.Open(dir.Path, Small);
        Assert.Equal(150, reopened.LastSequence);
        Assert.Equal(151, reopened.Append(Full(151)));
    }

    [Fact]
    public void Always_fsyncs_once_per_committed_batch()
    {
        using var dir = new TempDirectory();
        using var wal = WriteAheadLog.Open(dir.Path, new WalOptions { FlushPolicy = WalFlushPolicy.Always });
        for (var batch = 0; batch < 3; batch++)
        {
            for (var i = 0; i < 10; i++)
                wal.Append(Full(batch * 10 + i));
            wal.Commit();
        }

        wal.Commit(); // nothing new: no fsync
        Assert.Equal(3, wal.FsyncCount);
    }

    [Fact]
    public void Interval_fsyncs_only_once_the_interval_has_passed()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(Start));
        using var wal = WriteAheadLog.Open(dir.Path, new WalOptions { FlushPolicy = WalFlushPolicy.Interval, FlushInterval = TimeSpan.FromMilliseconds(100) }, clock);
        wal.Append(Full(1));
        wal.Commit();
        Assert.Equal(0, wal.FsyncCount);
        clock.Advance(TimeSpan.FromMilliseconds(100));
        wal.Append(Full(2));
        wal.Commit();
        Assert.Equal(1, wal.FsyncCount);
        wal.Append(Full(3));
        wal.Commit();
        Assert.Equal(1, wal.FsyncCount);
        wal.Sync();
        Assert.Equal(2, wal.FsyncCount);
    }

    [Fact]
    public void None_never_fsyncs_on_commit_yet_the_records_are_readable()
    {
        using var dir = new TempDirectory();
        using var wal = WriteAheadLog.Open(dir.Path, new WalOptions { FlushPolicy = WalFlushPolicy.None });
        wal.Append(Full(1));
        wal.Commit();
        Assert.Equal(0, wal.FsyncCount);
        Assert.Equal(Full(1), wal.ReadFrom(0).Single().Transaction);
    }

    [Fact]
    public void Records_not_committed_are_invisible_to_readers_and_written_on_dispose()
    {
        using var dir = new TempDirectory();
        using (var wal = WriteAheadLog.Open(dir.Path, Small))
        {
            wal.Append(Full(1));
            Assert.Empty(wal.ReadFrom(0));
            Assert.Equal(1, wal.LastSequence);
        }

        using var reopened = WriteAheadLog.Open(dir.Path, Small);
        Assert.Equal(1, reopened.LastSequence);
    }

    [Fact]
    public void A_second_open_of_the_same_directory_is_refused()
    {
        using var dir = new TempDirectory();
        using var wal = WriteAheadLog.Open(dir.Path, Small);
        Assert.Throws<IOException>(() => WriteAheadLog.Open(dir.Path, Small));
    }

    [Fact]
    public void Text_the_log_cannot_store_exactly_is_refused_before_anything_is_appended()
    {
        using var dir = new TempDirectory();
        using (var wal = WriteAheadLog.Open(dir.Path, Small))
        {
            var e = Assert.Throws<ArgumentException>(() => wal.Append(Full(1) with { DeviceId = new string('x', 70_000) }));
            Assert.Contains("DeviceId", e.Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentException>(() => wal.Append(Full(1) with { TransactionId = "T\ud800" })); // lone surrogate
            Assert.Equal(0, wal.LastSequence);
            Assert.Equal(1, wal.Append(Full(1)));
            wal.Append(Full(2) with { DeviceId = new string('é', 30_000) }); // 60,000 UTF-8 bytes: fits
            wal.Commit();
        }

        using var reopened = WriteAheadLog.Open(dir.Path, Small);
        Assert.Equal([Full(1), Full(2) with { DeviceId = new string('é', 30_000) }], reopened.ReadFrom(0).Select(r => r.Transaction));
    }

    /// <summary>A transaction with every field set, some optional ones left null by its number.</summary>
    internal static Transaction Full(int i) => new()
    {
        TransactionId = $"TX-{i:D6}",
        CustomerId = $"CUST_{i % 17}",
        MerchantId = $"MERCH_{i % 5}",
        AmountCents = 1_00 + i * 37L,
        Currency = i % 3 == 0 ? "USD" : "BRL",
        TimestampMs = Start + i * 1_000L,
        IpAddress = i % 4 == 0 ? null : $"10.0.{i % 3}.{i % 200}",
        Channel = i % 2 == 0 ? "pix" : null,
        DeviceId = i % 5 == 0 ? null : $"device-{i % 9}",
        Country = "BR",
        PaymentFormat = i % 6 == 0 ? null : "cartão",
    };

    /// <summary>The exact size of a transaction's record, header included.</summary>
    internal static int RecordSize(Transaction transaction) =>
        WalRecordCodec.Instance.Write(new byte[WalRecordCodec.Instance.MaxRecordBytes(transaction)], 1, transaction);

    /// <summary>Writes records 1 to <paramref name="count"/> in 4 KiB segments; returns the last segment's path.</summary>
    private static string WriteLog(string directory, int count)
    {
        using var wal = WriteAheadLog.Open(directory, Small);
        for (var i = 0; i < count; i++)
            wal.Append(Full(i));
        wal.Commit();
        return Path.Combine(directory, wal.Segments[^1].FileName);
    }
}
