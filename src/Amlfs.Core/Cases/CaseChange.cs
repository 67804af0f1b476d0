namespace Amlfs.Cases;

/// <summary>
/// What a change asked of <see cref="CaseBook"/> came to: the case after it, or why it was refused, with the field at
/// fault for <see cref="CaseRefusal.Invalid"/> and the case as it stands for <see cref="CaseRefusal.NotAllowed"/>.
/// </summary>
/// <param name="Case">The case after the change; as it stands when the change was not allowed; null when not found.</param>
/// <param name="Refusal">Why the change was not made; <see cref="CaseRefusal.None"/> when it was.</param>
/// <param name="Detail">What was wrong, in English.</param>
/// <param name="Field">The request field at fault.</param>
public sealed record CaseChange(Case? Case, CaseRefusal Refusal = CaseRefusal.None, string? Detail = null, string? Field = null)
{
    public static CaseChange Invalid(string field, string detail) => new(null, CaseRefusal.Invalid, detail, field);
}
