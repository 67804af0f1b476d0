using System.Buffers.Binary;
using Amlfs.OnlineStore;
using StackExchange.Redis;

namespace Amlfs.Redis;

/// <summary>
/// How <see cref="RedisOnlineStore"/> keeps an entity state with its <see cref="StatePosition"/>: in the one string of
/// the state's key, the position first in a fixed header, then the state's bytes. One key per entity keeps the state and
/// its position inseparable (one time-to-live, one delete, nothing an eviction can split), a replica still reads any
/// number of states with one <c>MGET</c> and strips the header, and the write script compares positions by reading
/// the header alone (<c>GETRANGE key 0 27</c>), whatever the size of the state.
/// <code>
/// byte  0       4              12             20             28
///       +-------+--------------+--------------+--------------+------------------------------
///       | AMP1  | log          | epoch        | sequence     | the state (EntityStateFormat)
///       +-------+--------------+--------------+--------------+------------------------------
///         magic   uint64, big-endian, so that the script reads each number byte by byte
/// </code>
/// A value without the magic is a state written before positions were kept (its first bytes are the state format's
/// own magic, <c>AMLFENT1</c>): reads return it whole, and any position may replace it.
/// </summary>
internal static class RedisStateValue
{
    /// <summary>The bytes before the state.</summary>
    public const int HeaderLength = 28;

    /// <summary>
    /// Writes each key of KEYS, in order, with its value ARGV[i] (header and state) and the time-to-live
    /// ARGV[#KEYS + 1] in milliseconds, unless the stored value's position cannot be replaced by the new one
    /// (<see cref="StatePosition.CanReplace"/>): the same log and a lower epoch or sequence, or another log and an
    /// epoch not higher. Returns how many were refused as stale. Numbers are read with arithmetic exact below 2^53 in
    /// Lua 5.1 (Redis) and 5.4 (Garnet) alike; strings are compared for equality only, never ordered (ordering would
    /// follow the server's collation locale).
    /// </summary>
    public const string WriteScript = """
        local function number(value, at)
          local n = 0
          for i = at, at + 7 do n = n * 256 + string.byte(value, i) end
          return n
        end
        local ttl = ARGV[#KEYS + 1]
        local stale = 0
        for k = 1, #KEYS do
          local new = ARGV[k]
          local stored = redis.call('GETRANGE', KEYS[k], 0, 27)
          local replace = true
          if #stored == 28 and string.sub(stored, 1, 4) == 'AMP1' then
            local epoch, storedEpoch = number(new, 13), number(stored, 13)
            if string.sub(new, 5, 12) == string.sub(stored, 5, 12) then
              replace = epoch >= storedEpoch and number(new, 21) >= number(stored, 21)
            else
              replace = epoch > storedEpoch
            end
          end
          if replace then
            redis.call('SET', KEYS[k], new, 'PX', ttl)
          else
            stale = stale + 1
          end
        end
        return stale
        """;

    /// <summary>
    /// Entries one call of <see cref="WriteScript"/> writes at most: calls of a batch are pipelined in one round trip,
    /// and each call costs the server one script invocation (and under Garnet's transaction mode one lock of its keys)
    /// however many keys it carries, while no call holds the server for long.
    /// </summary>
    public const int EntriesPerCall = 64;

    /// <summary>
    /// The next ownership epoch from the counter KEYS[1]: one more than the last, or the server's clock in milliseconds
    /// when that is larger, so that a counter lost with the server's data (a restart without persistence, while workers
    /// still run with the epochs they took) resumes above every epoch handed out before.
    /// </summary>
    public const string NextEpochScript = """
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local last = redis.call('GET', KEYS[1])
        local epoch = math.max((last and tonumber(last) or 0) + 1, now)
        redis.call('SET', KEYS[1], string.format('%d', epoch))
        return epoch
        """;

    private static ReadOnlySpan<byte> Magic => "AMP1"u8;

    /// <summary>The value of a state at <paramref name="position"/>: the header, then <paramref name="state"/>.</summary>
    public static byte[] Encode(StatePosition position, ReadOnlySpan<byte> state)
    {
        var value = new byte[HeaderLength + state.Length];
        Magic.CopyTo(value);
        BinaryPrimitives.WriteUInt64BigEndian(value.AsSpan(4), position.Log);
        BinaryPrimitives.WriteInt64BigEndian(value.AsSpan(12), position.Epoch);
        BinaryPrimitives.WriteInt64BigEndian(value.AsSpan(20), position.Sequence);
        state.CopyTo(value.AsSpan(HeaderLength));
        return value;
    }

    /// <summary>The state's bytes of a stored value (the value whole when it has no header), or null for none.</summary>
    public static byte[]? State(RedisValue value)
    {
        if (value.IsNull)
            return null;
        ReadOnlyMemory<byte> bytes = value;
        return bytes.Length >= HeaderLength && bytes.Span.StartsWith(Magic) ? bytes[HeaderLength..].ToArray() : bytes.ToArray();
    }
}
