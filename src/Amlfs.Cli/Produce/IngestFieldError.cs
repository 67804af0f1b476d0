namespace Amlfs.Cli.Produce;

/// <summary>Why the server found one field of a transaction invalid.</summary>
internal sealed record IngestFieldError(string? Field, string? Message);
