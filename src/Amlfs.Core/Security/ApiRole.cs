namespace Amlfs.Security;

/// <summary>
/// What an API key may do. Each route needs one role; <see cref="Admin"/> may do everything.
/// </summary>
public enum ApiRole
{
    /// <summary><c>POST /transactions</c>.</summary>
    Ingest,

    /// <summary><c>/predict</c> and <c>/batch-predict</c>.</summary>
    Score,

    /// <summary>The dashboard, features and cases.</summary>
    Analyst,

    /// <summary>The registry, models, keys: everything.</summary>
    Admin,
}

/// <summary>The roles' names as they are written in key files, flags and messages.</summary>
public static class ApiRoles
{
    /// <summary>Every role, in order.</summary>
    public static IReadOnlyList<ApiRole> All { get; } = [ApiRole.Ingest, ApiRole.Score, ApiRole.Analyst, ApiRole.Admin];

    /// <summary>The roles' names, comma separated, for messages.</summary>
    public static string List { get; } = string.Join(", ", All.Select(Name));

    public static string Name(this ApiRole role) => role switch
    {
        ApiRole.Ingest => "ingest",
        ApiRole.Score => "score",
        ApiRole.Analyst => "analyst",
        ApiRole.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    /// <summary>The role named <paramref name="name"/>, or null.</summary>
    public static ApiRole? Parse(string? name) => All.Cast<ApiRole?>().FirstOrDefault(r => string.Equals(r!.Value.Name(), name, StringComparison.Ordinal));

    /// <summary>Whether a key of role <paramref name="held"/> may use a route that needs <paramref name="needed"/>.</summary>
    public static bool Allows(this ApiRole held, ApiRole needed) => held == ApiRole.Admin || held == needed;
}
