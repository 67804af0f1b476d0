using System.Globalization;
using System.Text.Json;
using Amlfs.Privacy;
using Amlfs.Transactions;

namespace Amlfs.Engine;

/// <summary>
/// Appends rejected transactions to JSON-lines files, one object per line with the reason (<c>late</c>,
/// <c>future_timestamp</c>), the detail (the times that decided) and the transaction's fields, so that nothing is
/// silently dropped. A file per UTC day of rejection (<c>DIR/rejected-YYYY-MM-DD.jsonl</c>), so that retention can
/// delete whole days; the IP address and the device id are written as their pseudonyms (<see cref="Pseudonymizer"/>):
/// dead letters are read by operators and other tools, outside the data directory's protected stores.
/// </summary>
public sealed class DeadLetterFile : IRejectionSink, IDisposable
{
    /// <summary>The folder of the embedded server's dead letters in its data directory.</summary>
    public const string Folder = "dead-letter";

    /// <summary>How a day's file is named: <c>rejected-</c>, the UTC day, <c>.jsonl</c>.</summary>
    public const string FilePrefix = "rejected-";

    private readonly string _directory;
    private readonly TimeProvider _clock;
    private readonly Pseudonymizer _pseudonyms;
    private readonly Lock _lock = new();
    private StreamWriter? _writer;
    private DateOnly _day;

    /// <summary>Dead letters into <paramref name="directory"/> (created on the first rejection), days by <paramref name="clock"/>.</summary>
    public DeadLetterFile(string directory, TimeProvider clock, Pseudonymizer pseudonyms)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(pseudonyms);
        _directory = directory;
        _clock = clock;
        _pseudonyms = pseudonyms;
    }

    /// <summary><c>DATA/dead-letter</c>.</summary>
    public static string DirectoryOf(string dataDirectory) => Path.Combine(dataDirectory, Folder);

    /// <summary>The file of the UTC day <paramref name="day"/> in <paramref name="directory"/>.</summary>
    public static string FileOf(string directory, DateOnly day) =>
        Path.Combine(directory, FilePrefix + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".jsonl");

    /// <summary>The UTC day a dead-letter file's name gives; null for a file of another name.</summary>
    public static DateOnly? DayOf(string fileName) =>
        fileName.StartsWith(FilePrefix, StringComparison.Ordinal) && fileName.EndsWith(".jsonl", StringComparison.Ordinal)
        && DateOnly.TryParseExact(fileName.AsSpan(FilePrefix.Length, fileName.Length - FilePrefix.Length - ".jsonl".Length), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day : null;

    public void Rejected(Transaction transaction, IngestStatus reason, string detail)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var line = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["reason"] = reason.WireName(),
            ["detail"] = detail,
            ["transaction_id"] = transaction.TransactionId,
            ["customer_id"] = transaction.CustomerId,
            ["merchant_id"] = transaction.MerchantId,
            ["amount"] = transaction.Amount,
            ["currency"] = transaction.Currency,
            ["timestamp"] = transaction.Timestamp,
            ["ip_address"] = _pseudonyms.IpAddress(transaction.IpAddress),
            ["channel"] = transaction.Channel,
            ["device_id"] = _pseudonyms.DeviceId(transaction.DeviceId),
            ["country"] = transaction.Country,
            ["payment_format"] = transaction.PaymentFormat,
            ["destination_type"] = DestinationTypes.Name(transaction.DestinationType),
        });
        lock (_lock)
            WriterFor(DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime)).WriteLine(line);
    }

    private StreamWriter WriterFor(DateOnly day)
    {
        if (_writer is not null && day == _day)
            return _writer;
        _writer?.Dispose();
        Directory.CreateDirectory(_directory);
        _writer = new StreamWriter(new FileStream(FileOf(_directory, day), FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)) { AutoFlush = true };
        _day = day;
        return _writer;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }
}
