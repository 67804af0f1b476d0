using Amlfs.Security;
using Amlfs.Testing;

namespace Amlfs.Core.Tests.Security;

public sealed class ApiKeyStoreTests
{
    [Fact]
    public void A_created_key_is_kept_as_its_hash_only_and_found_until_it_is_revoked()
    {
        using var directory = new TempDirectory();
        var store = new ApiKeyStore(ApiKeyStore.FileOf(directory.Path));

        var created = store.Create("feeder", ApiRole.Ingest);
        using var ring = new ApiKeyRing(store.File);

        Assert.StartsWith(ApiKeyStore.Prefix + created.Record.Id + "_", created.Key, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Key, File.ReadAllText(store.File), StringComparison.Ordinal);
        Assert.DoesNotContain(created.Key[(ApiKeyStore.Prefix.Length + 13)..], File.ReadAllText(store.File), StringComparison.Ordinal);
        Assert.Equal(ApiKeyStore.HashOf(created.Key), Assert.Single(store.List()).Hash);
        Assert.Equal("feeder", ring.Find(created.Key)?.Name);
        Assert.Null(ring.Find(created.Key[..^1] + (created.Key[^1] == 'A' ? 'B' : 'A')));
        Assert.Null(ring.Find("amlfs_" + created.Record.Id + "_x"));
        Assert.Null(ring.Find("not a key"));

        store.Revoke("feeder");
        ring.Reload();

        Assert.Null(ring.Find(created.Key));
        Assert.NotNull(Assert.Single(store.List()).RevokedAt);
    }

    [Fact]
    public void Names_are_checked_and_unique_among_keys_that_work()
    {
        using var directory = new TempDirectory();
        var store = new ApiKeyStore(ApiKeyStore.FileOf(directory.Path));
        store.Create("analyst-1", ApiRole.Analyst);

        Assert.Contains("exists", Assert.Throws<ArgumentException>(() => store.Create("analyst-1", ApiRole.Admin)).Message, StringComparison.Ordinal);
        Assert.Contains("letters, digits", Assert.Throws<ArgumentException>(() => store.Create("has space", ApiRole.Admin)).Message, StringComparison.Ordinal);
        Assert.Throws<KeyNotFoundException>(() => store.Revoke("nobody"));
        store.Revoke("analyst-1");
        Assert.Equal(ApiRole.Admin, store.Create("analyst-1", ApiRole.Admin).Record.Role);
    }

    [Fact]
    public async Task Keys_created_at_once_by_two_stores_of_one_file_are_all_kept()
    {
        using var directory = new TempDirectory();
        var file = ApiKeyStore.FileOf(directory.Path);

        var created = await Task.WhenAll(Enumerable.Range(0, 2).Select(w => Task.Run(() =>
            Enumerable.Range(0, 25).Select(i => new ApiKeyStore(file).Create($"w{w}-k{i}", ApiRole.Score).Key).ToList())));

        using var ring = new ApiKeyRing(file);
        Assert.Equal(50, new ApiKeyStore(file).List().Count);
        Assert.All(created.SelectMany(k => k), key => Assert.NotNull(ring.Find(key)));
    }

    [Fact]
    public void A_damaged_key_file_is_refused_with_its_name_and_a_ring_keeps_the_keys_it_read_last()
    {
        using var directory = new TempDirectory();
        var store = new ApiKeyStore(ApiKeyStore.FileOf(directory.Path));
        var key = store.Create("admin", ApiRole.Admin).Key;
        using var ring = new ApiKeyRing(store.File);

        File.WriteAllText(store.File, "{ not json");
        ring.Reload();

        Assert.Contains(store.File, Assert.Throws<InvalidDataException>(() => store.List()).Message, StringComparison.Ordinal);
        Assert.NotNull(ring.Find(key));
        Assert.Contains("not a key file", ring.Problem, StringComparison.Ordinal);
    }
}
