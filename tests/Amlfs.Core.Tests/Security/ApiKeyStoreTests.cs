using Amlfs.Security;
using Amlfs.Testing;
using Amlfs.Testing.Contracts;

namespace Amlfs.Core.Tests.Security;

/// <summary>The key store contract for the key file, and what only a file can get wrong.</summary>
public sealed class ApiKeyStoreTests : ApiKeyStoreContract, IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    protected override IApiKeyStore OpenStore() => new ApiKeyStore(ApiKeyStore.FileOf(_directory.Path));

    protected override string StoredText() => File.ReadAllText(ApiKeyStore.FileOf(_directory.Path));

    [Fact]
    public void A_damaged_key_file_is_refused_with_its_name_and_a_ring_keeps_the_keys_it_read_last()
    {
        var store = new ApiKeyStore(ApiKeyStore.FileOf(_directory.Path));
        var key = store.Create("admin", ApiRole.Admin).Key;
        using var ring = new ApiKeyRing(store.File);

        File.WriteAllText(store.File, "{ not json");
        ring.Reload();

        Assert.Contains(store.File, Assert.Throws<InvalidDataException>(() => store.List()).Message, StringComparison.Ordinal);
        Assert.NotNull(ring.Find(key));
        Assert.Contains("not a key file", ring.Problem, StringComparison.Ordinal);
    }
}
