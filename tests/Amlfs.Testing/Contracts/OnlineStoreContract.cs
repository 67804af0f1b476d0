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
    private readonly string _version = Guid.NewGuid().ToString("N")[..16];

    protected abstract IOnlineStore Store { get; }

    /// <summary>A time-to-live the test can outlast: short on a real server, anything on a fake clock.</summary>
    protected abstract TimeSpan ShortTimeToLive { get; }

    /// <summary>Lets <paramref name="timeToLive"/> pass; returns once the key is gone (or the store gave up waiting).</summary>
    protected abstract Task LetExpireAsync(OnlineStoreKey key, TimeSpan timeToLive);

    private OnlineStoreKey Key(string id, string entity = "customer") => new(_version, entity, id);

    private static OnlineStoreEntry Entry(OnlineStoreKey key, params byte[] value) => new(key, value);

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
            .Select((e, i) => (State: engine.ExportEntityState(e.Plan, e.Id), Key: keys[i]))
            .Where(p => p.State is not null)
            .Select(p => new OnlineStoreEntry(p.Key, p.State!))
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
                var sequence = format.Evaluate(plan, stored[i], q, actual);
                Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), actual.Select(BitConverter.DoubleToInt64Bits));
                Assert.Equal(expectedSequence, sequence);
            }
        }

        Assert.Contains(entities.Select((e, i) => (e, i)), p => p.e.Plan.Name == "customer" && Evaluate(format, p.e.Plan, stored[p.i], t + 1).Any(v => v > 0));
    }

    private static double[] Evaluate(EntityStateFormat format, EntityPlan plan, byte[]? state, long q)
    {
        var values = new double[plan.Features.Count];
        format.Evaluate(plan, state, q, values);
        return values;
    }
}
