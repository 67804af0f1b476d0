namespace Amlfs.Learning.Models;

/// <summary>
/// <c>models/active.json</c>: the active version (null: the rules) and every activation in order, which
/// <see cref="ModelRegistry.Rollback"/> walks back.
/// </summary>
public sealed record ModelActivation(string? Active, IReadOnlyList<ModelActivationEntry> History);
