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
        Assert.Equal(0, await server.InterruptAsync());
        Assert.DoesNotContain("hunter2", server.Output, StringComparison.Ordinal);
    }
}
