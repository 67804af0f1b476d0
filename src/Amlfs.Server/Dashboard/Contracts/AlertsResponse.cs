namespace Amlfs.Server.Dashboard.Contracts;

/// <summary>
/// The alerts the rules raised and the newest decisions that pass the filters, each newest first, and the values the
/// filters can take.
/// </summary>
internal sealed record AlertsResponse
{
    public required bool Decides { get; init; }

    public required IReadOnlyList<DecisionSummary> Items { get; init; }

    /// <summary>Whether alert rules run in this process (an API replica runs none).</summary>
    public required bool RulesEnabled { get; init; }

    /// <summary>The alerts the alert rules raised that pass the filters, newest first.</summary>
    public required IReadOnlyList<RaisedAlertView> Raised { get; init; }

    /// <summary>The raised alerts the process holds, which the list looks at.</summary>
    public required int RaisedHeld { get; init; }

    /// <summary>The signals of the decisions held and of the raised alerts listed, for the signal filter.</summary>
    public required IReadOnlyList<string> Signals { get; init; }

    /// <summary>The model versions of the decisions held and of the raised alerts listed, for the model filter.</summary>
    public required IReadOnlyList<string> ModelVersions { get; init; }

    /// <summary>Decisions published so far; the list looks at the newest the process keeps.</summary>
    public required long Published { get; init; }
}
