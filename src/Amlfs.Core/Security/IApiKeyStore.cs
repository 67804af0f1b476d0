namespace Amlfs.Security;

/// <summary>
/// Where API keys are kept: a key file (<see cref="ApiKeyStore"/>) or a store that API replicas share (the Redis
/// adapter's). Every store keeps the same records, never a key, and changes them whole, so that concurrent changes from
/// several processes never lose one. Failures to reach the store are <see cref="IOException"/>s; a store that holds
/// something other than keys is an <see cref="InvalidDataException"/>.
/// </summary>
public interface IApiKeyStore
{
    /// <summary>Where the keys are, as messages and the audit trail name it (a file, or a Redis endpoint and key).</summary>
    string Location { get; }

    /// <summary>Every key, revoked ones included, oldest first; empty when none was ever created.</summary>
    IReadOnlyList<ApiKeyRecord> List();

    /// <summary>Creates a key named <paramref name="name"/> with <paramref name="role"/>.</summary>
    /// <exception cref="ArgumentException">The name is not valid or another key not revoked has it.</exception>
    CreatedApiKey Create(string name, ApiRole role);

    /// <summary>Revokes the key whose id or name is <paramref name="idOrName"/>; returns its record.</summary>
    /// <exception cref="KeyNotFoundException">No key not revoked has that id or name.</exception>
    ApiKeyRecord Revoke(string idOrName);

    /// <summary>
    /// A cheap token that changes whenever the keys change (a file's time and length, a version counter), so that a
    /// reader (<see cref="ApiKeyRing"/>) reads the keys again only then.
    /// </summary>
    string Stamp();
}
