namespace Amlfs.Server.Contracts;

/// <summary>A transaction to score. Scoring has no side effect unless <see cref="Record"/> is true.</summary>
public sealed class PredictRequest : TransactionRequest
{
    /// <summary>When true the transaction is ingested after it is scored (so the score never sees it).</summary>
    public bool Record { get; set; }
}
