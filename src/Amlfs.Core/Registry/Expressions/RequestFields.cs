using Amlfs.Transactions;

namespace Amlfs.Registry.Expressions;

/// <summary>
/// The fields of the transaction being scored that the aggregations comparing an entity's events with the request read
/// (<c>first_seen</c>, <c>last_seen_time</c>): each field's value as the engine fingerprints it for distinct counts (0
/// when the request has none), and the kind of its destination, which decides the counterparty an account sees.
/// </summary>
public sealed class RequestFields
{
    private readonly ulong[] _fingerprints = new ulong[Enum.GetValues<TransactionField>().Length];

    /// <param name="fingerprints">Fingerprints by <see cref="TransactionField"/> (its numeric value); missing ones are 0.</param>
    /// <param name="destination">Whether <c>merchant_id</c> names a merchant or an account.</param>
    public RequestFields(ReadOnlySpan<ulong> fingerprints, DestinationType destination)
    {
        if (fingerprints.Length > _fingerprints.Length)
            throw new ArgumentException($"at most one fingerprint per transaction field ({_fingerprints.Length})", nameof(fingerprints));
        fingerprints.CopyTo(_fingerprints);
        Destination = destination;
    }

    /// <summary>Whether the request's <c>merchant_id</c> names a merchant or an account.</summary>
    public DestinationType Destination { get; }

    /// <summary>The fingerprint of the request's value of <paramref name="field"/>; 0 when it has none.</summary>
    public ulong Fingerprint(TransactionField field) => _fingerprints[(int)field];
}
