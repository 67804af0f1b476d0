namespace Amlfs.Server.Contracts;

/// <summary>A note on a case: its text, author and time.</summary>
public sealed record CaseNoteResponse(string Text, string Author, DateTimeOffset At);
