using Amlfs.Security;
using Xunit;

namespace Amlfs.Testing.Contracts;

/// <summary>
/// What every API key store must do (<see cref="IApiKeyStore"/>): a key file and the store replicas share pass the same
/// facts. <see cref="OpenStore"/> opens the same keys afresh each time, as another process would.
/// </summary>
public abstract class ApiKeyStoreContract
{
    /// <summary>A new handle on the one set of keys of this test.</summary>
    protected abstract IApiKeyStore OpenStore();

    /// <summary>The stored form of the keys, as a person with access to the store would read it.</summary>
    protected abstract string StoredText();

    [ContractFact]
    public void A_created_key_is_kept_as_its_hash_only_and_found_until_it_is_revoked()
    {
        var store = OpenStore();

        var created = store.Create("feeder", ApiRole.Ingest);
        using var ring = new ApiKeyRing(OpenStore());

        Assert.StartsWith(ApiKeyStore.Prefix + created.Record.Id + "_", created.Key, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Key[(ApiKeyStore.Prefix.Length + 13)..], StoredText(), StringComparison.Ordinal);
        Assert.Equal(ApiKeyStore.HashOf(created.Key), Assert.Single(store.List()).Hash);
        Assert.Equal("feeder", ring.Find(created.Key)?.Name);
        Assert.Equal("feeder", ring.Find(created.Key)?.Name); // now remembered as presented, without hashing it again
        Assert.Null(ring.Find(created.Key[..^1] + (created.Key[^1] == 'A' ? 'B' : 'A')));
        Assert.Null(ring.Find("amlfs_" + created.Record.Id + "_x"));
        Assert.Null(ring.Find("not a key"));

        // A remembered key is forgotten with the keys it was checked against: revoking it ends it all the same.
        store.Revoke("feeder");
        ring.Reload();

        Assert.Null(ring.Find(created.Key));
        Assert.NotNull(Assert.Single(OpenStore().List()).RevokedAt);
    }

    [ContractFact]
    public void Names_are_checked_and_unique_among_keys_that_work()
    {
        var store = OpenStore();
        store.Create("analyst-1", ApiRole.Analyst);

        Assert.Contains("exists", Assert.Throws<ArgumentException>(() => store.Create("analyst-1", ApiRole.Admin)).Message, StringComparison.Ordinal);
        Assert.Contains("letters, digits", Assert.Throws<ArgumentException>(() => store.Create("has space", ApiRole.Admin)).Message, StringComparison.Ordinal);
        Assert.Throws<KeyNotFoundException>(() => store.Revoke("nobody"));
        store.Revoke("analyst-1");
        Assert.Equal(ApiRole.Admin, store.Create("analyst-1", ApiRole.Admin).Record.Role);
        Assert.Equal(2, OpenStore().List().Count);
    }

    [ContractFact]
    public async Task Keys_created_at_once_through_two_handles_are_all_kept()
    {
        var created = await Task.WhenAll(Enumerable.Range(0, 2).Select(w => Task.Run(() =>
        {
            var store = OpenStore();
            return Enumerable.Range(0, 25).Select(i => store.Create($"w{w}-k{i}", ApiRole.Score).Key).ToList();
        })));

        using var ring = new ApiKeyRing(OpenStore());
        Assert.Equal(50, OpenStore().List().Count);
        Assert.All(created.SelectMany(k => k), key => Assert.NotNull(ring.Find(key)));
    }

    [ContractFact]
    public void A_ring_reads_the_keys_again_only_when_the_stamp_moves()
    {
        var store = OpenStore();
        var empty = store.Stamp();
        Assert.Equal(empty, OpenStore().Stamp());
        using var ring = new ApiKeyRing(OpenStore());
        var changes = 0;
        ring.Changed += () => Interlocked.Increment(ref changes);

        var key = store.Create("late", ApiRole.Score).Key;
        var created = store.Stamp();
        ring.Reload();
        ring.Reload();

        Assert.NotEqual(empty, created);
        Assert.NotNull(ring.Find(key));
        Assert.Equal(1, ring.ActiveCount);
        Assert.True(changes >= 1, "the ring read the new key");
        Assert.Null(ring.Problem);
    }
}
