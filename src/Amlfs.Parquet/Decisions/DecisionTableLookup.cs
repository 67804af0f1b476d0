using Amlfs.Decisions;

namespace Amlfs.Parquet.Decisions;

/// <summary>What a search of the decisions table by transaction id found (<see cref="DecisionTable.FindAsync"/>).</summary>
/// <param name="Decision">The decision found, or null.</param>
/// <param name="RowsRead">The transaction ids read.</param>
/// <param name="Complete">False when the search stopped at its bound of rows before looking everywhere it was asked to.</param>
public sealed record DecisionTableLookup(Decision? Decision, long RowsRead, bool Complete);
