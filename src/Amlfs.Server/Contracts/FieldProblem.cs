namespace Amlfs.Server.Contracts;

/// <summary>One bad field of a request: its snake_case name and what is wrong with it.</summary>
public sealed record FieldProblem(string Field, string Message);
