namespace Amlfs.Cases;

/// <summary>How a case list is ordered.</summary>
public enum CaseOrder
{
    /// <summary>Highest score first, then oldest first: the work queue.</summary>
    Score,

    /// <summary>Oldest first, then highest score first.</summary>
    Age,
}
