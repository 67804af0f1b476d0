using Amlfs.Engine;

namespace Amlfs.Server.Ingestion;

/// <summary>What became of a batch: a status per transaction, in order, or why none of it was taken.</summary>
/// <param name="Statuses">One per transaction when <paramref name="Failure"/> is <see cref="IngestFailure.None"/>, else empty.</param>
/// <param name="Failure">Why the batch was not taken, or <see cref="IngestFailure.None"/>.</param>
/// <param name="Detail">Why, in a phrase a caller can be shown; null when there is no failure.</param>
internal readonly record struct IngestOutcome(IngestStatus[] Statuses, IngestFailure Failure, string? Detail)
{
    public static IngestOutcome Taken(IngestStatus[] statuses) => new(statuses, IngestFailure.None, null);

    public static IngestOutcome NotTaken(IngestFailure failure, string detail) => new([], failure, detail);
}
