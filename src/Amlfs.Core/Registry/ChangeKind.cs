namespace Amlfs.Registry;

/// <summary>How an item of the registry differs between two versions.</summary>
public enum ChangeKind
{
    Added,
    Removed,
    Changed,
}
