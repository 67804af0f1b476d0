namespace Amlfs.Engine;

/// <summary>
/// Where graph searches find the states of other accounts: by the fingerprint of the id alone, since an event keeps
/// only its counterparty's fingerprint. The engine's shards, a replay's shard, or the states a replica fetched.
/// </summary>
internal interface INeighbourStates
{
    /// <summary>The state of the entity of type <paramref name="entity"/> whose id has fingerprint <paramref name="hash"/>, or null.</summary>
    EntityState? Find(int entity, ulong hash);
}
