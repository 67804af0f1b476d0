namespace Amlfs.Security;

/// <summary>
/// One API key as the key file keeps it: never the key itself, only its SHA-256 (<see cref="Hash"/>). A key is
/// <c>amlfs_{Id}_{secret}</c>: the id finds the record, the hash of the whole key proves it.
/// </summary>
/// <param name="Id">The key's public id: 12 hex digits, shown in lists and logs.</param>
/// <param name="Name">Who or what holds it (unique among keys not revoked): what logs, metrics and the audit trail name.</param>
/// <param name="Role">What it may do.</param>
/// <param name="Hash">Lower-case hex SHA-256 of the key's UTF-8 bytes.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="RevokedAt">When it was revoked; null while it works.</param>
public sealed record ApiKeyRecord(string Id, string Name, ApiRole Role, string Hash, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt = null)
{
    public bool IsActive => RevokedAt is null;
}

/// <summary>A key just created: its record and the key itself, which is shown once and kept nowhere.</summary>
public sealed record CreatedApiKey(ApiKeyRecord Record, string Key);
