using Parquet.Schema;

namespace Amlfs.Parquet;

/// <summary>The columns of the profile tables. Lists (home IPs, habitual merchants) are Parquet lists of strings.</summary>
internal static class ProfileColumns
{
    public static readonly DataField CustomerId = new DataField<string>("customer_id", false);
    public static readonly DataField HomeIps = new("home_ips", typeof(string), isNullable: false, isArray: true);
    public static readonly DataField DeviceId = new DataField<string>("device_id", false);
    public static readonly DataField CustomerCountry = new DataField<string>("country", false);
    public static readonly DataField CustomerCity = new DataField<string>("city", false);
    public static readonly DataField Channel = new DataField<string>("channel", false);
    public static readonly DataField HabitualMerchants = new("habitual_merchants", typeof(string), isNullable: false, isArray: true);
    public static readonly DataField MedianAmount = new DecimalDataField("median_amount", 18, 2, false, false);
    public static readonly DataField AmountSigma = new DataField<double>("amount_sigma", false);
    public static readonly DataField DailyTransactions = new DataField<double>("daily_transactions", false);
    public static readonly DataField RhythmShiftHours = new DataField<int>("rhythm_shift_hours", false);

    public static readonly ParquetSchema Customers = new(
        CustomerId, HomeIps, DeviceId, CustomerCountry, CustomerCity, Channel, HabitualMerchants, MedianAmount,
        AmountSigma, DailyTransactions, RhythmShiftHours);

    public static readonly DataField MerchantId = new DataField<string>("merchant_id", false);
    public static readonly DataField Name = new DataField<string>("name", false);
    public static readonly DataField Category = new DataField<string>("category", false);
    public static readonly DataField MerchantCity = new DataField<string>("city", false);
    public static readonly DataField MerchantCountry = new DataField<string>("country", false);
    public static readonly DataField Popularity = new DataField<double>("popularity", false);

    public static readonly ParquetSchema Merchants = new(MerchantId, Name, Category, MerchantCity, MerchantCountry, Popularity);
}
