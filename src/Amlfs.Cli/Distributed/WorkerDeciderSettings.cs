namespace Amlfs.Cli.Distributed;

/// <summary>What a <see cref="WorkerDecider"/> decides with, as <c>amlfs serve</c> is configured.</summary>
/// <param name="DataDirectory">The data directory whose definitions and model registry decide.</param>
/// <param name="RiskModelFile">The rules model's YAML file; null for the built-in one.</param>
/// <param name="Variables">The environment, whose <c>AMLFS_RISK_*</c> variables override the rules model's entries.</param>
internal sealed record WorkerDeciderSettings(string DataDirectory, string? RiskModelFile, IReadOnlyDictionary<string, string> Variables);
