namespace Amlfs.Cases;

/// <summary>Why <see cref="CaseBook"/> did not make a change.</summary>
public enum CaseRefusal
{
    /// <summary>It made it.</summary>
    None,

    /// <summary>No case has that id.</summary>
    NotFound,

    /// <summary>The case's status does not allow the transition (or any change, once closed).</summary>
    NotAllowed,

    /// <summary>A field of the change is invalid (<see cref="CaseChange.Field"/>).</summary>
    Invalid,
}
