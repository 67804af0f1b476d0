using Amlfs.Audit;

namespace Amlfs.Cli.Commands;

/// <summary>
/// How commands that change what the system does (definitions applied, a model activated or rolled back) record it in
/// the data directory's audit trail: as <c>cli:USER</c>, the operating system's user name, at the environment's clock.
/// </summary>
internal static class CliAudit
{
    /// <summary>The actor a command records: <c>cli:</c> and the operating system's user name.</summary>
    public static string Actor => "cli:" + Environment.UserName;

    /// <summary>
    /// Records an action done to the data directory <paramref name="root"/>. Returns null when recorded, or the message
    /// to report when the record could not be kept (the action itself is done: the command fails so that it is seen).
    /// </summary>
    public static string? Record(CliEnvironment environment, string root, string action, string subject, IReadOnlyDictionary<string, string?>? details = null)
    {
        try
        {
            new AuditLog(root, environment.Clock).Record(Actor, action, subject, details);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return $"{action} {subject} was done but could not be recorded in the audit trail: {e.Message}";
        }
    }
}
