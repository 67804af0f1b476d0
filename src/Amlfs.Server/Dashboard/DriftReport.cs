using Amlfs.Server.Dashboard.Contracts;

namespace Amlfs.Server.Dashboard;

/// <summary>The drift of a model's inputs as computed at one time: the PSI of each feature.</summary>
internal sealed record DriftReport(DateTimeOffset ComputedAt, string ModelVersion, IReadOnlyList<FeatureDrift> Features);
