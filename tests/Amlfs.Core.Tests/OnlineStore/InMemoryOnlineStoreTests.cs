using Amlfs.OnlineStore;
using Amlfs.Testing.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Core.Tests.OnlineStore;

/// <summary>The online store contract for <see cref="InMemoryOnlineStore"/>, time on a fake clock.</summary>
public sealed class InMemoryOnlineStoreTests : OnlineStoreContract
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 6, 12, 0, 0, TimeSpan.Zero));

    public InMemoryOnlineStoreTests() => Store = new InMemoryOnlineStore(_clock);

    protected override IOnlineStore Store { get; }

    protected override TimeSpan ShortTimeToLive => TimeSpan.FromSeconds(30);

    protected override Task LetExpireAsync(OnlineStoreKey key, TimeSpan timeToLive)
    {
        _clock.Advance(timeToLive);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task An_entry_lives_until_the_last_millisecond_of_its_time_to_live()
    {
        var key = new OnlineStoreKey("0123456789abcdef", "customer", "C1");
        await Store.WriteAsync([new OnlineStoreEntry(key, new byte[] { 1 }, new StatePosition(1, 1, 1))], TimeSpan.FromSeconds(30));

        _clock.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromMilliseconds(1));
        Assert.NotNull(await Store.ReadAsync(key));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(await Store.ReadAsync(key));
        Assert.False(await Store.DeleteAsync(key));
    }
}
