namespace Amlfs.Security;

/// <summary>
/// A key store that changes its list whole (<see cref="Change"/>): creating and revoking are the same steps for every
/// such store, the list's rules being <see cref="ApiKeyList"/>'s. A store implements reading, its stamp and one atomic
/// change.
/// </summary>
public abstract class ChangeableApiKeyStore(TimeProvider? clock) : IApiKeyStore
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public abstract string Location { get; }

    public abstract IReadOnlyList<ApiKeyRecord> List();

    public abstract string Stamp();

    /// <inheritdoc/>
    public CreatedApiKey Create(string name, ApiRole role)
    {
        var created = ApiKeyList.NewKey(name, role, _clock.GetUtcNow());
        Change(keys => ApiKeyList.Added(keys, created.Record));
        return created;
    }

    /// <inheritdoc/>
    public ApiKeyRecord Revoke(string idOrName)
    {
        ArgumentException.ThrowIfNullOrEmpty(idOrName);
        ApiKeyRecord? revoked = null;
        Change(keys => ApiKeyList.Revoked(keys, idOrName, _clock.GetUtcNow(), out revoked));
        return revoked!;
    }

    /// <summary>
    /// Replaces the list with <paramref name="change"/> of it, atomically against every other process: no change made
    /// meanwhile is lost. <paramref name="change"/> may run more than once, and its exceptions pass through.
    /// </summary>
    protected abstract void Change(Func<List<ApiKeyRecord>, List<ApiKeyRecord>> change);
}
