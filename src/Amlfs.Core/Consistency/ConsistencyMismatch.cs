namespace Amlfs.Consistency;

/// <summary>One served value that the recomputation contradicts.</summary>
public sealed record ConsistencyMismatch(LoggedVector Vector, string Feature, double Served, double Recomputed);
