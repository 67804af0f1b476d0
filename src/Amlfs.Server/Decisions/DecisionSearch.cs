using Amlfs.Decisions;

namespace Amlfs.Server.Decisions;

/// <summary>Where a decision was found by its transaction id, or that it was not.</summary>
/// <param name="Decision">The decision, or null.</param>
/// <param name="Source">Where it was found: <see cref="InFeed"/>, <see cref="InDecisionLog"/> or <see cref="InOfflineStore"/>.</param>
/// <param name="Complete">False when the search stopped at a bound (or on a read error) before looking everywhere.</param>
/// <param name="Problems">What could not be read, each in a sentence.</param>
internal sealed record DecisionSearch(Decision? Decision, string? Source, bool Complete, IReadOnlyList<string> Problems)
{
    /// <summary>The newest decisions, held in memory.</summary>
    public const string InFeed = "feed";

    /// <summary>The decision log's segments not rolled yet.</summary>
    public const string InDecisionLog = "decision_log";

    /// <summary>The offline store's decisions table.</summary>
    public const string InOfflineStore = "offline_store";
}
