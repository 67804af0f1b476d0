namespace Amlfs.Server.Dashboard.Contracts;

/// <summary>The fields of a transaction that a decision does not keep, read back from the write-ahead log.</summary>
internal sealed record TransactionView
{
    public required string Currency { get; init; }

    public string? IpAddress { get; init; }

    public string? DeviceId { get; init; }

    public string? Channel { get; init; }

    public string? Country { get; init; }

    public string? PaymentFormat { get; init; }

    public required long LogSequence { get; init; }
}
