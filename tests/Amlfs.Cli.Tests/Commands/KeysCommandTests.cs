using Amlfs.Security;

namespace Amlfs.Cli.Tests.Commands;

public sealed class KeysCommandTests
{
    [Fact]
    public void Create_prints_the_key_once_list_shows_everything_but_it_and_revoke_ends_it()
    {
        using var cli = new CliHarness();

        var created = cli.Run("keys", "create", "--role", "analyst", "--name", "ana", "--data-dir", "data");
        var key = Assert.Single(created.OutputLines).Trim();
        var listed = cli.Run("keys", "list", "--data-dir", "data");
        var revoked = cli.Run("keys", "revoke", "ana", "--data-dir", "data");
        var again = cli.Run("keys", "revoke", "ana", "--data-dir", "data");

        Assert.Equal(0, created.ExitCode);
        Assert.StartsWith(ApiKeyStore.Prefix, key, StringComparison.Ordinal);
        Assert.Contains("shown once", created.Error, StringComparison.Ordinal);
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains("ana", listed.Output, StringComparison.Ordinal);
        Assert.Contains("analyst", listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(key[(ApiKeyStore.Prefix.Length + 13)..], listed.Output, StringComparison.Ordinal);
        Assert.Equal(0, revoked.ExitCode);
        Assert.Contains("revoked key", revoked.Output, StringComparison.Ordinal);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("no key that works", again.Error, StringComparison.Ordinal);
        Assert.NotNull(Assert.Single(new ApiKeyStore(ApiKeyStore.FileOf(cli.PathOf("data"))).List()).RevokedAt);
        var audited = Amlfs.Audit.AuditReader.Records(cli.PathOf("data")).Select(r => r.Record).ToList();
        Assert.Equal(["key.created", "key.revoked"], audited.Select(r => r.Action));
        Assert.All(audited, r => Assert.Equal("ana", r.Subject));
        Assert.DoesNotContain(key[(ApiKeyStore.Prefix.Length + 13)..], File.ReadAllText(Directory.GetFiles(Path.Combine(cli.PathOf("data"), "audit"), "*.jsonl").Single()), StringComparison.Ordinal);
        Assert.Equal(0, cli.Run("audit", "verify", "--data-dir", "data").ExitCode);
    }

    [Fact]
    public void A_bad_role_or_name_is_named()
    {
        using var cli = new CliHarness();

        var role = cli.Run("keys", "create", "--role", "root", "--name", "x", "--data-dir", "data");
        var name = cli.Run("keys", "create", "--role", "admin", "--name", "a b", "--data-dir", "data");

        Assert.Equal(1, role.ExitCode);
        Assert.Contains("--role: 'root' is not one of ingest, score, analyst, admin", role.Error, StringComparison.Ordinal);
        Assert.Equal(1, name.ExitCode);
        Assert.Contains("a key's name is 1 to 64 letters", name.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_refuses_key_options_with_auth_off_and_a_malformed_rate_limit()
    {
        using var cli = new CliHarness();

        var keysOff = cli.Run("serve", "--auth", "off", "--keys-file", "k.json", "--data-dir", "data", "--port", "0");
        var badLimit = cli.Run("serve", "--rate-limit", "score=fast", "--data-dir", "data", "--port", "0");

        Assert.Equal(1, keysOff.ExitCode);
        Assert.Contains("take effect with --auth on", keysOff.Error, StringComparison.Ordinal);
        Assert.Equal(1, badLimit.ExitCode);
        Assert.Contains("--rate-limit 'score=fast' is not ROLE=N", badLimit.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_in_the_online_store_are_created_listed_and_revoked_where_every_replica_reads_them()
    {
        using var garnet = new Amlfs.Testing.RestartableGarnetServer();
        garnet.Start();
        using var cli = new CliHarness();
        var url = $"redis://{garnet.Endpoint}";

        var created = cli.Run("keys", "create", "--role", "score", "--name", "checkout", "--online-store", url, "--data-dir", "data");
        var listed = cli.Run("keys", "list", "--online-store", url);
        var revoked = cli.Run("keys", "revoke", "checkout", "--online-store", url, "--data-dir", "data");
        var both = cli.Run("keys", "list", "--online-store", url, "--keys-file", "k.json");

        Assert.True(created.ExitCode == 0, created.Error);
        var key = Assert.Single(created.OutputLines).Trim();
        Assert.Contains($"in redis {garnet.Endpoint} amlfs:keys", created.Error, StringComparison.Ordinal);
        Assert.Contains("checkout", listed.Output, StringComparison.Ordinal);
        Assert.Equal(0, revoked.ExitCode);
        Assert.False(File.Exists(Amlfs.Security.ApiKeyStore.FileOf(cli.PathOf("data"))), "the data directory's key file stays untouched");
        await using var store = await Amlfs.Redis.RedisApiKeyStore.ConnectAsync(new Amlfs.Redis.RedisOnlineStoreOptions { Host = garnet.Host, Port = garnet.Port });
        var record = Assert.Single(store.List());
        Assert.Equal(Amlfs.Security.ApiKeyStore.HashOf(key), record.Hash);
        Assert.NotNull(record.RevokedAt);
        var audited = Amlfs.Audit.AuditReader.Records(cli.PathOf("data")).Select(r => r.Record).ToList();
        Assert.Equal(["key.created", "key.revoked"], audited.Select(r => r.Action));
        Assert.Equal(1, both.ExitCode);
        Assert.Contains("give --keys-file or --online-store, not both", both.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_takes_keys_in_store_only_from_the_online_store_it_replicates()
    {
        using var cli = new CliHarness();

        var alone = cli.Run("serve", "--keys-in-store", "--data-dir", "data", "--port", "0");
        var withFile = cli.Run("serve", "--online-store", "redis://127.0.0.1:9", "--keys-in-store", "--keys-file", "k.json", "--data-dir", "data", "--port", "0");

        Assert.Equal((1, 1), (alone.ExitCode, withFile.ExitCode));
        Assert.Contains("--keys-in-store reads the keys of the --online-store", alone.Error, StringComparison.Ordinal);
        Assert.Contains("--keys-in-store reads the keys of the --online-store", withFile.Error, StringComparison.Ordinal);
    }
}
