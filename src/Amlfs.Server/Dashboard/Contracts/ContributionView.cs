namespace Amlfs.Server.Dashboard.Contracts;

/// <summary>One input of an explanation: its value, its contribution and the signal it belongs to.</summary>
internal sealed record ContributionView(string Feature, double Value, double Contribution, string? Signal);
