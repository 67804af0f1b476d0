using Amlfs.Testing;

namespace Amlfs.Server.Tests;

/// <summary><c>amlfs serve --online-store</c> as a separate process against a Redis-compatible server that is down at first.</summary>
[Trait("Category", "Process")]
public sealed class ReplicaProcessTests
{
    [Fact]
    public async Task A_replica_starts_while_redis_is_down_names_it_without_the_password_and_serves_once_it_is_up()
    {
        using var garnet = new RestartableGarnetServer(password: "hunter2");
        using var directory = new TempDirectory();
        using var server = await AmlfsProcess.StartAsync(directory.Path, "--online-store", $"redis://:hunter2@{garnet.Endpoint}");
        using var client = server.CreateClient();

        Assert.Contains($"API replica of the online store redis://***@{garnet.Endpoint}", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", server.Output, StringComparison.Ordinal);
        using (var down = await client.GetAsync(new Uri("/features/C1", UriKind.Relative)))
            Assert.Equal(503, (int)down.StatusCode);

        garnet.Start();
        var status = 0;
        for (var attempt = 0; attempt < 300 && status != 200; attempt++)
        {
            using var health = await client.GetAsync(new Uri("/health", UriKind.Relative));
            status = (int)health.StatusCode;
            if (status != 200)
                await Task.Delay(100);
        }

        Assert.Equal(200, status);
        using var features = await client.GetAsync(new Uri("/features/C1", UriKind.Relative));
        Assert.Equal(200, (int)features.StatusCode);
        await server.InterruptCleanlyAsync();
        Assert.DoesNotContain("hunter2", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replica_checking_the_keys_in_the_store_takes_a_key_created_or_revoked_there_while_it_runs()
    {
        using var garnet = new RestartableGarnetServer();
        garnet.Start();
        using var directory = new TempDirectory();
        using var server = await AmlfsProcess.StartAsync(directory.Path, "--online-store", $"redis://{garnet.Endpoint}", "--keys-in-store", "--auth", "on");
        await server.WaitForOutputAsync("Press Ctrl+C", TimeSpan.FromSeconds(20));
        Assert.Contains($"Keys      0 from redis {garnet.Endpoint} amlfs:keys: none yet", server.Output, StringComparison.Ordinal);
        await using var store = await Amlfs.Redis.RedisApiKeyStore.ConnectAsync(new Amlfs.Redis.RedisOnlineStoreOptions { Host = garnet.Host, Port = garnet.Port });
        var key = store.Create("replica-reader", Amlfs.Security.ApiRole.Analyst).Key;
        using var client = new HttpClient { BaseAddress = server.Address };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);

        Assert.Equal(200, await StatusUntilAsync(client, 200));
        store.Revoke("replica-reader");
        Assert.Equal(401, await StatusUntilAsync(client, 401));
        await server.InterruptCleanlyAsync();
        Assert.DoesNotContain(key, server.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// GET /features/C1 until it answers <paramref name="expected"/> (the replica looks at the keys every 250 ms); the
    /// last status. The bound only keeps a broken replica from hanging the run.
    /// </summary>
    private static async Task<int> StatusUntilAsync(HttpClient client, int expected)
    {
        var status = 0;
        for (var attempt = 0; attempt < 300 && status != expected; attempt++)
        {
            if (attempt > 0)
                await Task.Delay(100);
            using var response = await client.GetAsync(new Uri("/features/C1", UriKind.Relative));
            status = (int)response.StatusCode;
        }

        return status;
    }
}
