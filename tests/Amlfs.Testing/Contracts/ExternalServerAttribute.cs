namespace Amlfs.Testing.Contracts;

/// <summary>
/// Marks a test class whose <see cref="ContractFactAttribute"/> facts run against a server outside the test process,
/// which the environment may not provide: while <see cref="SkipReason"/> says why not, they are reported skipped.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public abstract class ExternalServerAttribute : Attribute
{
    /// <summary>Why the server is not available (what to set to get one), or null when it is configured.</summary>
    public abstract string? SkipReason { get; }
}
