namespace Amlfs.Server.Dashboard.Contracts;

/// <summary>
/// An entity the page's entity traded with among the decisions the process keeps: <c>out</c> when the entity paid it,
/// <c>in</c> when it paid the entity; how many transactions, how much, and the highest score among them.
/// </summary>
internal sealed record CounterpartyView(string Id, string Entity, string Direction, int Transactions, decimal Amount, double MaxScore, int Alerts);
