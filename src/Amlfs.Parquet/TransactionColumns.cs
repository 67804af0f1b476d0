using Parquet.Schema;

namespace Amlfs.Parquet;

/// <summary>
/// The columns of a transaction file, in file order. Amounts are decimal(18,2), exact to the cent; timestamps are
/// UTC instants with millisecond precision (DuckDB reads them as TIMESTAMP WITH TIME ZONE). <c>is_suspicious</c> is
/// null for unlabelled rows; <c>destination_type</c> says whether <c>merchant_id</c> is a merchant or an account; <c>log_sequence</c> is the write-ahead log sequence of rows rolled from the log, else null.
/// </summary>
internal static class TransactionColumns
{
    public static readonly DataField TransactionId = new DataField<string>("transaction_id", false);
    public static readonly DataField CustomerId = new DataField<string>("customer_id", false);
    public static readonly DataField MerchantId = new DataField<string>("merchant_id", false);
    public static readonly DataField Amount = new DecimalDataField("amount", 18, 2, false, false);
    public static readonly DataField Currency = new DataField<string>("currency", false);
    public static readonly DataField Timestamp = new DateTimeDataField(
        "timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: false);
    public static readonly DataField IpAddress = new DataField<string>("ip_address", true);
    public static readonly DataField Channel = new DataField<string>("channel", true);
    public static readonly DataField DeviceId = new DataField<string>("device_id", true);
    public static readonly DataField Country = new DataField<string>("country", true);
    public static readonly DataField PaymentFormat = new DataField<string>("payment_format", true);
    public static readonly DataField IsSuspicious = new DataField<bool?>("is_suspicious", true);
    public static readonly DataField Typology = new DataField<string>("typology", false);
    public static readonly DataField LogSequence = new DataField<long?>("log_sequence", true);

    /// <summary><c>merchant</c> or <c>account</c>; files written before edges between accounts lack it (all merchants).</summary>
    public static readonly DataField DestinationType = new DataField<string>("destination_type", true);

    public static readonly ParquetSchema Schema = new(
        TransactionId, CustomerId, MerchantId, Amount, Currency, Timestamp, IpAddress, Channel, DeviceId, Country,
        PaymentFormat, IsSuspicious, Typology, LogSequence, DestinationType);
}
