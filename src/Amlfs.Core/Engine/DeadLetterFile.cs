using System.Text.Json;
using Amlfs.Transactions;

namespace Amlfs.Engine;

/// <summary>
/// Appends rejected transactions to a JSON-lines file, one object per line with the reason (<c>late</c>,
/// <c>future_timestamp</c>), the detail (the times that decided) and the transaction's fields, so that nothing is
/// silently dropped.
/// </summary>
public sealed class DeadLetterFile : IRejectionSink, IDisposable
{
    private readonly StreamWriter _writer;
    private readonly Lock _lock = new();

    public DeadLetterFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
            Directory.CreateDirectory(directory);
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

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
            ["ip_address"] = transaction.IpAddress,
            ["channel"] = transaction.Channel,
            ["device_id"] = transaction.DeviceId,
            ["country"] = transaction.Country,
            ["payment_format"] = transaction.PaymentFormat,
            ["destination_type"] = DestinationTypes.Name(transaction.DestinationType),
        });
        lock (_lock)
            _writer.WriteLine(line);
    }

    public void Dispose() => _writer.Dispose();
}
