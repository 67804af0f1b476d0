using System.Globalization;
using Amlfs.Engine;

namespace Amlfs.OnlineStore;

/// <summary>
/// Where an entity state stands, written with it so that an online store never lets an entity's state go back in time.
/// An entity state's events all come from one log (a Kafka worker's: the topic partition that holds the key of the
/// entity's end; the two partial states of an account with inflows, under two keys, come from two), which numbers them: <see cref="Sequence"/> is the entity's log sequence, the number of the newest event in the state.
/// Whoever applies the log writes under the <see cref="Epoch"/> it took from the store
/// (<see cref="IOnlineStore.NextEpochAsync"/>) when it took the log over, so that a later owner's epoch is larger.
/// <para>
/// The rule, <see cref="CanReplace"/>: a state replaces the stored one of its key when, from the same log, neither its
/// epoch nor its sequence is lower; from another log (the entity moved to another partition: a rebuild after a
/// partition count change), when its epoch is higher. So within one owner a higher sequence wins, and equal positions
/// (a retried write) are written again; a newer owner's state replaces an older owner's once it has reached the
/// stored sequence, while a newer owner that restored an older checkpoint and replays behind what was written is
/// refused until it catches up (its replay would take the state back); and once a newer owner has written an entity,
/// an owner the group has replaced can no longer overwrite it, however far it got. The stored epoch and sequence of a
/// log therefore never decrease.
/// </para>
/// </summary>
public readonly record struct StatePosition
{
    /// <summary>
    /// The largest epoch and sequence: 2^53 - 1, the integers a double holds exactly, which is what a number is in the
    /// Lua of Redis scripts.
    /// </summary>
    public const long MaxValue = (1L << 53) - 1;

    /// <summary>A position; throws <see cref="ArgumentOutOfRangeException"/> for an epoch or sequence outside 0 to <see cref="MaxValue"/>.</summary>
    /// <param name="log">The log's identity (<see cref="LogOf"/>).</param>
    /// <param name="epoch">The writer's epoch of ownership of the log.</param>
    /// <param name="sequence">The entity's log sequence.</param>
    public StatePosition(ulong log, long epoch, long sequence)
    {
        Check(epoch, nameof(epoch));
        Check(sequence, nameof(sequence));
        Log = log;
        Epoch = epoch;
        Sequence = sequence;
    }

    /// <summary>The identity of the log whose numbering <see cref="Sequence"/> follows.</summary>
    public ulong Log { get; }

    /// <summary>The writer's epoch of ownership of the log; larger for a later owner.</summary>
    public long Epoch { get; }

    /// <summary>The entity's log sequence: the number of the newest event the state holds.</summary>
    public long Sequence { get; }

    /// <summary>The identity of the log named <paramref name="name"/>, for example <c>transactions/3</c> for a topic partition.</summary>
    public static ulong LogOf(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Fingerprint.Of(name);
    }

    /// <summary>Whether a state at this position may replace one stored at <paramref name="stored"/> (see the rule above).</summary>
    public bool CanReplace(StatePosition stored) =>
        Log == stored.Log ? Epoch >= stored.Epoch && Sequence >= stored.Sequence : Epoch > stored.Epoch;

    /// <summary><c>log:epoch:sequence</c>, the log in hex.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Log:x16}:{Epoch}:{Sequence}");

    private static void Check(long value, string name)
    {
        if (value is < 0 or > MaxValue)
            throw new ArgumentOutOfRangeException(name, value, $"the {name} of a state position must be between 0 and 2^53 - 1");
    }
}
