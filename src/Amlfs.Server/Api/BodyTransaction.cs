using Amlfs.Transactions;

namespace Amlfs.Server.Api;

/// <summary>One transaction of a request body, as <see cref="TransactionJsonReader"/> read it, before validation.</summary>
/// <param name="Input">The fields as sent.</param>
/// <param name="Errors">Fields of the wrong type, or the item not being an object (field <c>body</c>).</param>
/// <param name="Record">The <c>record</c> flag of a transaction to score: ingest it after scoring.</param>
internal sealed record BodyTransaction(TransactionInput Input, List<FieldError> Errors, bool Record);
