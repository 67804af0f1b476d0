using Amlfs.Transactions;

namespace Amlfs.Synthetic;

/// <summary>
/// A transaction with its ground-truth label: whether it belongs to an injected laundering pattern and which one
/// (one of <see cref="Typologies.All"/>, or <see cref="Typologies.None"/> for a normal transaction).
/// </summary>
public sealed record LabeledTransaction(Transaction Transaction, bool IsSuspicious, string Typology);
