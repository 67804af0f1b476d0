namespace Amlfs.Engine;

/// <summary>
/// The states of other accounts that a replica fetched from an online store for the graph searches of one entity
/// type, by the fingerprint of their ids (<see cref="OnlineStore.OnlineStoreKey.ForFingerprint"/>). A search that asks
/// for an account not fetched yet finds no state there and the account is recorded in <see cref="Missing"/>; the
/// replica fetches the missing ones and evaluates again, level by level, until nothing is missing. Searches explore in
/// an order fixed by what they have read, so each round is exact up to the level it fetched, and the last round reads
/// exactly the states an engine holding them all would (see docs/graph.md).
/// </summary>
public sealed class NeighbourStates : INeighbourStates
{
    private readonly EntityStateFormat _format;
    private readonly EntityPlan _entity;
    private readonly Dictionary<ulong, EntityState?> _states = [];
    private readonly List<ulong> _missing = [];
    private readonly HashSet<ulong> _missingSet = [];

    /// <param name="format">The format of the bytes fetched.</param>
    /// <param name="entity">The entity type whose accounts are fetched: the type evaluated.</param>
    public NeighbourStates(EntityStateFormat format, EntityPlan entity)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(entity);
        _format = format;
        _entity = entity;
    }

    /// <summary>Fingerprints of the accounts searches asked for since the last <see cref="TakeMissing"/>, not fetched, in the order asked.</summary>
    public IReadOnlyList<ulong> Missing => _missing;

    /// <summary>
    /// How many times a search asked for an account not fetched, repeats included: an evaluation that leaves it as it
    /// found it read every state it needed, even when other evaluations sharing these states still miss some.
    /// </summary>
    public long Misses { get; private set; }

    /// <summary>The fingerprint of an account id, as events keep their counterparty's and keys of such states hold it.</summary>
    public static ulong FingerprintOf(string id) => Fingerprint.Of(id);

    /// <summary>Takes the missing fingerprints, leaving none.</summary>
    public ulong[] TakeMissing()
    {
        var missing = _missing.ToArray();
        _missing.Clear();
        _missingSet.Clear();
        return missing;
    }

    /// <summary>
    /// Adds the fetched partial states of the account with fingerprint <paramref name="hash"/> (null or empty where the
    /// store had none: the account is then known to have no state).
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes cannot be read.</exception>
    public void Add(ulong hash, byte[]? state, byte[]? inflows) => _states[hash] = _format.Restore(_entity, state, inflows);

    EntityState? INeighbourStates.Find(int entity, ulong hash)
    {
        if (_states.TryGetValue(hash, out var state))
            return state;
        Misses++;
        if (_missingSet.Add(hash))
            _missing.Add(hash);
        return null;
    }
}
