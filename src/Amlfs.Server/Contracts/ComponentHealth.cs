namespace Amlfs.Server.Contracts;

/// <summary>One component's status (healthy, disabled or unhealthy) with a few facts about it.</summary>
public sealed record ComponentHealth(string Status, IReadOnlyDictionary<string, string> Details);
