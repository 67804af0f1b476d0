namespace Amlfs.Cli.LoadTest;

/// <summary>What one client of the dashboard's live stream received: events, bytes, and why it stopped early if it did.</summary>
internal sealed record StreamClientResult(long Events, long Bytes, string? Error);
