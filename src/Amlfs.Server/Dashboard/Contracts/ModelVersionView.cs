namespace Amlfs.Server.Dashboard.Contracts;

/// <summary>A stored model version: when it was trained, its test PR-AUC, and whether it is the active one.</summary>
internal sealed record ModelVersionView(string Version, DateTimeOffset CreatedAt, double? TestPrAuc, bool Active);
