using Amlfs.Engine;
using Amlfs.OnlineStore;
using Xunit;

namespace Amlfs.Testing.Contracts;

/// <summary>
/// The behaviour every <see cref="IOnlineStore"/> has, one suite that each implementation's tests inherit (the
/// in-memory store's in the core's tests, Garnet's and redis-server's in the Redis tests), so that no store passes a
/// weaker contract than another. Every test writes under a version of its own, so tests sharing one server never see
/// each other's keys.
/// </summary>
public abstract class OnlineStoreContract
{
    private const ulong Log = 0x1234_5678_9abc_def0;
    private const ulong OtherLog = 0x0fed_cba9_8765_4321;
    private readonly string _version = Guid.NewGuid().ToString("N")[..16];
    private long _sequence;

    protected abstract IOnlineStore Store { get; }

    /// <summary>A time-to-live the test can outlast: short on a real server, anything on a fake clock.</summary>
    protected abstract TimeSpan ShortTimeToLive { get; }

    /// <summary>Lets <paramref name="timeToLive"/> pass; returns once the key is gone (or the store gave up waiting).</summary>
    protected abstract Task LetExpireAsync(OnlineStoreKey key, TimeSpan timeToLive);

    private OnlineStoreKey Key(string id, string entity = "customer") => new(_version, entity, id);

    /// <summary>An entry one sequence after the last of the log <see cref="Log"/>: newer than every entry written before.</summary>
    private OnlineStoreEntry Entry(OnlineStoreKey key, params byte[] value) => new(key, value, new StatePosition(Log, 1, ++_sequence));

    private static OnlineStoreEntry At(OnlineStoreKey key, StatePosition position, params byte[] value) => new(key, value, position);

    private static StatePosition Position(long epoch, long sequence, ulong log = Log) => new(log, epoch, sequence);

    [ContractFact]
    public async Task A_written_state_reads_back_as_the_same_bytes()
    {
        var value = Enumerable.Range(0, 5000).Select(i => (byte)(i * 31)).ToArray();
        await Store.WriteAsync([Entry(Key("C1"), value)], TimeSpan.FromMinutes(5));

        Assert.Equal(value, await Store.ReadAsync(Key("C1")));
    }

    [ContractFact]
    public async Task A_batch_writes_every_entry()
    {
        var entries = Enumerable.Range(0, 200).Select(i => Entry(Key($"C{i}"), (byte)i, (byte)(i >> 8), 7)).ToArray();
        await Store.WriteAsync(entries, TimeSpan.FromMinutes(5));

        var read = await Store.ReadManyAsync(entries.Select(e => e.Key).ToArray());

        Assert.Equal(entries.Select(e => e.Value.ToArray()), read);
    }

    [ContractFact]
    public async Task Reading_many_keys_gives_null_for_the_missing_ones_in_place()
    {
        await Store.WriteAsync([Entry(Key("A"), 1), Entry(Key("C"), 3)], TimeSpan.FromMinutes(5));

        var read = await Store.ReadManyAsync([Key("A"), Key("B"), Key("C"), Key("D")]);

        Assert.Equal([[1], null, [3], null], read);
        Assert.Empty(await Store.ReadManyAsync([]));
        Assert.Null(await Store.ReadAsync(Key("B")));
    }

    [ContractFact]
    public async Task An_entry_is_gone_once_its_time_to_live_has_passed()
    {
        var ttl = ShortTimeToLive;
        await Store.WriteAsync([Entry(Key("short"), 1)], ttl);
        await Store.WriteAsync([Entry(Key("long"), 2)], TimeSpan.FromHours(1));

        await LetExpireAsync(Key("short"), ttl);

        Assert.Null(await Store.ReadAsync(Key("short")));
        Assert.Equal([null, [2]], await Store.ReadManyAsync([Key("short"), Key("long")]));
    }

    [ContractFact]
    public async Task A_second_write_overwrites_the_bytes_and_the_time_to_live()
    {
        await Store.WriteAsync([Entry(Key("C1"), 1, 2, 3)], ShortTimeToLive);
        await Store.WriteAsync([Entry(Key("C1"), 9)], TimeSpan.FromHours(1));

        await LetExpireAsync(Key("other"), ShortTimeToLive);

        Assert.Equal([9], await Store.ReadAsync(Key("C1")));
    }

    [ContractFact]
    public async Task A_deleted_entry_reads_as_missing()
    {
        await Store.WriteAsync([Entry(Key("C1"), 1), Entry(Key("C2"), 2)], TimeSpan.FromMinutes(5));

        Assert.True(await Store.DeleteAsync(Key("C1")));
        Assert.False(await Store.DeleteAsync(Key("C1")));

        Assert.Null(await Store.ReadAsync(Key("C1")));
        Assert.Equal([2], await Store.ReadAsync(Key("C2")));
    }

    [ContractFact]
    public async Task Keys_of_different_versions_and_entity_types_never_collide()
    {
        var other = new OnlineStoreKey(Guid.NewGuid().ToString("N")[..16], "customer", "C1");
        await Store.WriteAsync([Entry(Key("C1"), 1), Entry(other, 2), Entry(Key("C1", "merchant"), 3)], TimeSpan.FromMinutes(5));

        Assert.Equal([[1], [2], [3]], await Store.ReadManyAsync([Key("C1"), other, Key("C1", "merchant")]));
    }

    [ContractFact]
    public async Task The_inflows_of_an_account_are_a_key_of_their_own_with_a_position_of_their_own()
    {
        var inflows = Key("C1") with { Inflows = true };
        await Store.WriteAsync([At(Key("C1"), Position(1, 50), 1), At(inflows, Position(1, 7, OtherLog), 2), At(Key("inflows:C1"), Position(1, 1), 3)], TimeSpan.FromMinutes(5));

        Assert.Equal(0, await Store.WriteAsync([At(inflows, Position(1, 8, OtherLog), 4)], TimeSpan.FromMinutes(5)));
        Assert.Equal([[1], [4], [3]], await Store.ReadManyAsync([Key("C1"), inflows, Key("inflows:C1")]));
        Assert.Equal($"amlfs:{_version}:customer.inflows:C1", inflows.ToString());
    }

    [ContractFact]
    public async Task Ids_with_colons_and_unicode_are_keys_of_their_own()
    {
        await Store.WriteAsync([Entry(Key("a:b"), 1), Entry(Key("a"), 2), Entry(Key("São Paulo ✓"), 3)], TimeSpan.FromMinutes(5));

        Assert.Equal([[1], [2], [3]], await Store.ReadManyAsync([Key("a:b"), Key("a"), Key("São Paulo ✓")]));
    }

    [ContractFact]
    public async Task A_ping_answers()
    {
        await Store.PingAsync();
    }

    [ContractFact]
    public async Task Features_evaluated_from_stored_state_equal_the_engines_to_the_bit()
    {
        using var engine = TestEngines.Inline();
        var start = Tx.Utc(2026, 3, 6, 20); // a Friday evening: night and weekend filters both see events
        var random = new Random(20260306);
        var customers = Enumerable.Range(0, 6).Select(i => $"CUST_{i}").ToArray();
        var merchants = Enumerable.Range(0, 4).Select(i => $"MERCH_{i}").ToArray();
        var t = start;
        for (var i = 0; i < 600; i++)
        {
            t += random.Next(1, 600_000);
            var ip = random.Next(5) == 0 ? null : $"10.0.0.{random.Next(8)}";
            engine.Ingest(Tx.At(t, customers[random.Next(customers.Length)], merchants[random.Next(merchants.Length)],
                random.NextInt64(1, 5_000_000), ip));
        }

        var format = engine.StateFormat;
        var entities = new[] { ("customer", customers.Append("NOBODY")), ("merchant", merchants.AsEnumerable()) }
            .SelectMany(p => p.Item2.Select(id => (Plan: engine.Plan.Entity(p.Item1)!, Id: id)))
            .ToArray();
        var keys = entities.Select(e => OnlineStoreKey.For(format, e.Plan.Name, e.Id)).ToArray();
        var entries = entities
            .Select((e, i) => (State: engine.ExportEntityState(e.Plan, e.Id, out var sequence), Key: keys[i], Sequence: sequence))
            .Where(p => p.State is not null)
            .Select(p => new OnlineStoreEntry(p.Key, p.State!, Position(1, p.Sequence)))
            .ToArray();
        Assert.Equal(entities.Length - 1, entries.Length); // NOBODY has no state
        await Store.WriteAsync(entries, TimeSpan.FromMinutes(5));

        var stored = await Store.ReadManyAsync(keys);

        foreach (var q in new[] { t - 3_600_000, t - 1, t, t + 1, t + 59_999, t + 3_600_000, t + 86_400_000 })
        {
            for (var i = 0; i < entities.Length; i++)
            {
                var (plan, id) = entities[i];
                var expected = new double[plan.Features.Count];
                var actual = new double[plan.Features.Count];
                engine.Read(plan, id, q, expected, out var expectedSequence);
                var sequence = StoredStates.Evaluate(format, plan, stored[i], null, q, actual, StoredStates.From(Store, format, plan));
                Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), actual.Select(BitConverter.DoubleToInt64Bits));
                Assert.Equal(expectedSequence, sequence);
            }
        }

        Assert.Contains(entities.Select((e, i) => (e, i)), p => p.e.Plan.Name == "customer" && Evaluate(format, p.e.Plan, stored[p.i], t + 1, StoredStates.From(Store, format, p.e.Plan)).Any(v => v > 0));
    }

    [ContractFact]
    public async Task An_older_position_never_overwrites_a_newer_one()
    {
        await Store.WriteAsync([At(Key("C1"), Position(2, 10), 1)], TimeSpan.FromMinutes(5));

        Assert.Equal(1, await Store.WriteAsync([At(Key("C1"), Position(2, 9), 2)], TimeSpan.FromMinutes(5)));
        Assert.Equal(1, await Store.WriteAsync([At(Key("C1"), Position(1, 11), 3)], TimeSpan.FromMinutes(5)));
        Assert.Equal(1, await Store.WriteAsync([At(Key("C1"), Position(1, 9), 4)], TimeSpan.FromMinutes(5)));

        Assert.Equal([1], await Store.ReadAsync(Key("C1")));
    }

    [ContractFact]
    public async Task An_equal_position_is_written_again_as_a_retry_with_a_fresh_time_to_live()
    {
        await Store.WriteAsync([At(Key("C1"), Position(2, 10), 1, 2)], ShortTimeToLive);

        Assert.Equal(0, await Store.WriteAsync([At(Key("C1"), Position(2, 10), 1, 2)], TimeSpan.FromHours(1)));
        await LetExpireAsync(Key("other"), ShortTimeToLive);

        Assert.Equal([1, 2], await Store.ReadAsync(Key("C1")));
    }

    [ContractFact]
    public async Task A_newer_position_wins_by_sequence_within_an_owner_and_by_epoch_once_caught_up()
    {
        await Store.WriteAsync([At(Key("C1"), Position(2, 10), 1)], TimeSpan.FromMinutes(5));

        Assert.Equal(0, await Store.WriteAsync([At(Key("C1"), Position(2, 11), 2)], TimeSpan.FromMinutes(5)));
        Assert.Equal([2], await Store.ReadAsync(Key("C1")));
        Assert.Equal(0, await Store.WriteAsync([At(Key("C1"), Position(3, 11), 3)], TimeSpan.FromMinutes(5)));
        Assert.Equal([3], await Store.ReadAsync(Key("C1")));
        Assert.Equal(0, await Store.WriteAsync([At(Key("C1"), Position(3, 12), 4)], TimeSpan.FromMinutes(5)));

        Assert.Equal([4], await Store.ReadAsync(Key("C1")));
    }

    [ContractFact]
    public async Task A_newer_owner_replaying_behind_the_stored_sequence_is_refused_until_it_catches_up()
    {
        // A worker restored an older checkpoint than its predecessor reached: its replayed states would go back in time.
        await Store.WriteAsync([At(Key("C1"), Position(2, 500), 1)], TimeSpan.FromMinutes(5));

        Assert.Equal(1, await Store.WriteAsync([At(Key("C1"), Position(7, 120), 2)], TimeSpan.FromMinutes(5)));
        Assert.Equal([1], await Store.ReadAsync(Key("C1")));
        Assert.Equal(0, await Store.WriteAsync([At(Key("C1"), Position(7, 500), 3)], TimeSpan.FromMinutes(5)));
        // Caught up, the newer owner holds the key: its predecessor can no longer write, however far it got.
        Assert.Equal(1, await Store.WriteAsync([At(Key("C1"), Position(2, 900), 4)], TimeSpan.FromMinutes(5)));

        Assert.Equal([3], await Store.ReadAsync(Key("C1")));
    }

    [ContractFact]
    public async Task A_state_from_another_log_replaces_the_stored_one_only_with_a_newer_epoch()
    {
        await Store.WriteAsync([At(Key("C1"), Position(5, 900), 1)], TimeSpan.FromMinutes(5));

        Assert.Equal(1, await Store.WriteAsync([At(Key("C1"), Position(5, 9000, OtherLog), 2)], TimeSpan.FromMinutes(5)));
        Assert.Equal(1, await Store.WriteAsync([At(Key("C1"), Position(4, 9000, OtherLog), 3)], TimeSpan.FromMinutes(5)));
        Assert.Equal([1], await Store.ReadAsync(Key("C1")));
        Assert.Equal(0, await Store.WriteAsync([At(Key("C1"), Position(6, 1, OtherLog), 4)], TimeSpan.FromMinutes(5)));

        Assert.Equal([4], await Store.ReadAsync(Key("C1")));
    }

    [ContractFact]
    public async Task A_batch_of_mixed_positions_writes_the_newer_and_equal_and_refuses_the_older()
    {
        await Store.WriteAsync(
            [At(Key("old"), Position(3, 30), 1), At(Key("equal"), Position(3, 30), 2), At(Key("new"), Position(3, 30), 3)],
            TimeSpan.FromMinutes(5));

        var stale = await Store.WriteAsync(
        [
            At(Key("old"), Position(3, 29), 10),
            At(Key("equal"), Position(3, 30), 20),
            At(Key("new"), Position(4, 31), 30),
            At(Key("fresh"), Position(1, 1), 40),
            // Two entries of one key: the second is judged against the first.
            At(Key("twice"), Position(3, 50), 50),
            At(Key("twice"), Position(3, 49), 51),
        ], TimeSpan.FromMinutes(5));

        Assert.Equal(2, stale);
        Assert.Equal([[1], [20], [30], [40], [50]],
            await Store.ReadManyAsync([Key("old"), Key("equal"), Key("new"), Key("fresh"), Key("twice")]));
    }

    [ContractFact]
    public async Task A_refused_write_leaves_the_stored_time_to_live_and_an_expired_state_takes_any_position()
    {
        // Long enough that the refused write surely comes while the state lives, even on a busy machine.
        var timeToLive = ShortTimeToLive * 20;
        await Store.WriteAsync([At(Key("C1"), Position(2, 10), 1)], timeToLive);
        Assert.Equal(1, await Store.WriteAsync([At(Key("C1"), Position(2, 9), 2)], TimeSpan.FromHours(1)));

        await LetExpireAsync(Key("C1"), timeToLive);

        Assert.Null(await Store.ReadAsync(Key("C1")));
        Assert.Equal(0, await Store.WriteAsync([At(Key("C1"), Position(1, 1), 3)], TimeSpan.FromHours(1)));
        Assert.Equal([3], await Store.ReadAsync(Key("C1")));
    }

    [ContractFact]
    public async Task Concurrent_writers_of_one_key_leave_the_newest_state()
    {
        // Writers on connections of their own race on a few keys with interleaved sequences: a comparison that is not
        // atomic with the write lets an older state land after a newer one.
        var stores = new List<IOnlineStore>();
        for (var i = 0; i < 4; i++)
            stores.Add(await ConnectAnotherAsync());
        const int Last = 1000;
        await Task.WhenAll(stores.Select((store, writer) => Task.Run(async () =>
        {
            for (var sequence = writer + 1; sequence <= Last; sequence += stores.Count)
            {
                var value = BitConverter.GetBytes(sequence);
                await store.WriteAsync([At(Key("A"), Position(1, sequence), value), At(Key("B"), Position(1, sequence), value)], TimeSpan.FromMinutes(5));
            }
        })));

        Assert.Equal([BitConverter.GetBytes(Last), BitConverter.GetBytes(Last)], await Store.ReadManyAsync([Key("A"), Key("B")]));
    }

    [ContractFact]
    public async Task Each_epoch_is_larger_than_every_one_before_on_any_connection()
    {
        var other = await ConnectAnotherAsync();
        var epochs = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            epochs.Add(await Store.NextEpochAsync());
            epochs.Add(await other.NextEpochAsync());
        }

        Assert.Equal(epochs.Order(), epochs);
        Assert.Equal(epochs.Count, epochs.Distinct().Count());
        Assert.All(epochs, e => Assert.InRange(e, 1, StatePosition.MaxValue));
    }

    /// <summary>Another client of the same store (a connection of its own where the store has connections), disposed with the test.</summary>
    protected virtual Task<IOnlineStore> ConnectAnotherAsync() => Task.FromResult(Store);

    private static double[] Evaluate(EntityStateFormat format, EntityPlan plan, byte[]? state, long q, StoredStates.NeighbourSource neighbours)
    {
        var values = new double[plan.Features.Count];
        StoredStates.Evaluate(format, plan, state, null, q, values, neighbours);
        return values;
    }
}
