namespace Amlfs.Learning.Models;

/// <summary>
/// <c>models/active.json</c>: the active version (null: the rules) and every activation and rollback in order. The
/// history is a stack: an activation pushes a version, a rollback pops the current one and returns to the one below.
/// </summary>
public sealed record ModelActivation(string? Active, IReadOnlyList<ModelActivationEntry> History)
{
    /// <summary>The versions activated and not rolled back, oldest first; the last is the active one.</summary>
    public IReadOnlyList<string?> Stack()
    {
        var stack = new List<string?>();
        foreach (var entry in History)
        {
            if (!entry.Rollback)
                stack.Add(entry.Version);
            else if (stack.Count > 0)
                stack.RemoveAt(stack.Count - 1);
        }

        return stack;
    }
}
