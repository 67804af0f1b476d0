namespace Amlfs.Cases;

/// <summary>An analyst's note on a case.</summary>
/// <param name="Text">The note.</param>
/// <param name="Author">Who wrote it.</param>
/// <param name="AtMs">When, UTC milliseconds.</param>
public sealed record CaseNote(string Text, string Author, long AtMs);
