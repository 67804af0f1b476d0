using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Amlfs.Transactions;

/// <summary>
/// Validates <see cref="TransactionInput"/>s. Every problem is reported, each with the snake_case name of its field,
/// so a caller can fix all of them at once.
/// </summary>
public static class TransactionValidator
{
    public const string DefaultCurrency = "BRL";

    /// <summary>Longest accepted id (transaction, customer, merchant, device).</summary>
    public const int MaxIdLength = 128;

    /// <summary>Largest accepted amount: R$ 1 trillion, far above any real payment, far below overflow of sums.</summary>
    public const decimal MaxAmount = 1_000_000_000_000m;

    private const int MaxLabelLength = 64;

    /// <summary>The engine packs event times into 44 bits of milliseconds; this bound keeps well inside them.</summary>
    private static readonly DateTime LatestTimestamp = new(2500, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// Validates <paramref name="input"/>. When <paramref name="timestampWhenMissing"/> is given, a missing timestamp
    /// is stamped with it (the receive time); otherwise a missing timestamp is an error.
    /// </summary>
    public static IReadOnlyList<FieldError> Validate(
        TransactionInput input, out Transaction? transaction, DateTimeOffset? timestampWhenMissing = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new List<FieldError>();
        CheckId(errors, "transaction_id", input.TransactionId);
        CheckId(errors, "customer_id", input.CustomerId);
        CheckId(errors, "merchant_id", input.MerchantId);

        long cents = 0;
        if (input.Amount is not { } amount)
            errors.Add(new("amount", "is required"));
        else if (amount <= 0)
            errors.Add(new("amount", $"must be greater than 0, got {amount.ToString(CultureInfo.InvariantCulture)}"));
        else if (amount > MaxAmount)
            errors.Add(new("amount", $"must be at most {MaxAmount.ToString(CultureInfo.InvariantCulture)}"));
        else if (decimal.Round(amount, 2) != amount)
            errors.Add(new("amount", $"must have at most 2 decimal places, got {amount.ToString(CultureInfo.InvariantCulture)}"));
        else
            cents = (long)(amount * 100m);

        var currency = DefaultCurrency;
        if (input.Currency is { } c)
        {
            if (c.Length != 3 || !c.All(char.IsAsciiLetter))
                errors.Add(new("currency", $"must be a three-letter ISO 4217 code, got '{c}'"));
            else
                currency = c.ToUpperInvariant();
        }

        long timestampMs = 0;
        var timestamp = input.Timestamp ?? timestampWhenMissing;
        if (timestamp is not { } ts)
            errors.Add(new("timestamp", "is required"));
        else if (ts.UtcDateTime < DateTime.UnixEpoch)
            errors.Add(new("timestamp", "must not be before 1970-01-01T00:00:00Z"));
        else if (ts.UtcDateTime >= LatestTimestamp)
            errors.Add(new("timestamp", "must be before 2500-01-01T00:00:00Z"));
        else
            timestampMs = ts.ToUnixTimeMilliseconds(); // sub-millisecond digits are truncated: the contract keeps ms

        string? ip = null;
        if (input.IpAddress is { Length: > 0 } rawIp)
        {
            if (TryCanonicalIp(rawIp, out var canonical))
                ip = canonical;
            else
                errors.Add(new("ip_address", $"must be an IPv4 or IPv6 address, got '{rawIp}'"));
        }

        CheckLabel(errors, "channel", input.Channel, MaxLabelLength);
        CheckLabel(errors, "device_id", input.DeviceId, MaxIdLength);
        CheckLabel(errors, "payment_format", input.PaymentFormat, MaxLabelLength);
        var destinationType = DestinationType.Merchant;
        if (input.DestinationType is { Length: > 0 } rawType)
        {
            if (DestinationTypes.TryParse(rawType) is { } type)
                destinationType = type;
            else
                errors.Add(new("destination_type", $"must be '{DestinationTypes.Merchant}' or '{DestinationTypes.Account}', got '{rawType}'"));
        }

        string? country = null;
        if (input.Country is { } rawCountry)
        {
            if (rawCountry.Length != 2 || !rawCountry.All(char.IsAsciiLetter))
                errors.Add(new("country", $"must be a two-letter ISO 3166-1 code, got '{rawCountry}'"));
            else
                country = rawCountry.ToUpperInvariant();
        }

        transaction = errors.Count > 0
            ? null
            : new Transaction
            {
                TransactionId = input.TransactionId!,
                CustomerId = input.CustomerId!,
                MerchantId = input.MerchantId!,
                AmountCents = cents,
                Currency = currency,
                TimestampMs = timestampMs,
                IpAddress = ip,
                Channel = NullIfEmpty(input.Channel),
                DeviceId = NullIfEmpty(input.DeviceId),
                Country = country,
                PaymentFormat = NullIfEmpty(input.PaymentFormat),
                DestinationType = destinationType,
            };
        return errors;
    }

    /// <summary>
    /// Accepts dotted-quad IPv4 (exactly four decimal parts) or IPv6, and returns the canonical text form, so that
    /// "010.0.0.1"-style aliases and IPv6 spellings of one address count as one distinct value.
    /// </summary>
    public static bool TryCanonicalIp(string text, out string canonical)
    {
        canonical = "";
        if (!IPAddress.TryParse(text, out var address))
            return false;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            // IPAddress.TryParse also takes "1", "1.2" and hex parts; the contract wants plain dotted quads.
            var parts = text.Split('.');
            if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit)))
                return false;
        }
        else if (address.AddressFamily != AddressFamily.InterNetworkV6 || address.ScopeId != 0)
        {
            return false;
        }

        canonical = address.ToString();
        return true;
    }

    private static void CheckId(List<FieldError> errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            errors.Add(new(field, "is required"));
        else
            CheckLabel(errors, field, value, MaxIdLength);
    }

    private static void CheckLabel(List<FieldError> errors, string field, string? value, int maxLength)
    {
        if (value is null)
            return;
        if (value.Length > maxLength)
            errors.Add(new(field, $"must be at most {maxLength} characters, got {value.Length}"));
        else if (value.Any(char.IsControl))
            errors.Add(new(field, "must not contain control characters"));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
