namespace Amlfs.Cases;

/// <summary>
/// Where a case stands: <see cref="Open"/> when an alert opens it, <see cref="Investigating"/> once an analyst takes it
/// up, <see cref="Closed"/> with a <see cref="CaseDisposition"/>. A closed case never opens again: the entity's next
/// alert opens a new case. The wire spelling of each is its snake_case name (<see cref="CaseNames"/>).
/// </summary>
public enum CaseStatus
{
    Open,
    Investigating,
    Closed,
}
