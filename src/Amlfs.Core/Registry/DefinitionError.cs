namespace Amlfs.Registry;

/// <summary>One problem in a definitions file: where it is (file, 1-based line), which field, and why.</summary>
public sealed record DefinitionError(string File, int Line, string Field, string Message)
{
    public override string ToString() => Line > 0
        ? $"{File}:{Line}: {Field}: {Message}"
        : $"{File}: {Field}: {Message}";
}
