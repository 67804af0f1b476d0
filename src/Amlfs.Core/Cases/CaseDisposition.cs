namespace Amlfs.Cases;

/// <summary>
/// What the analyst concluded when closing a case; it becomes the label of the case's decisions
/// (<see cref="CaseLabels"/>): laundering confirmed a positive, a false positive a negative, inconclusive no label.
/// </summary>
public enum CaseDisposition
{
    LaunderingConfirmed,
    FalsePositive,
    Inconclusive,
}
