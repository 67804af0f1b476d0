namespace Amlfs.OnlineStore;

/// <summary>One entity state to write: its key, its bytes (<see cref="Engine.EntityStateFormat"/>) and its position.</summary>
/// <param name="Key">Where the state goes.</param>
/// <param name="Value">The state's bytes; the store copies them.</param>
/// <param name="Position">Where the state stands; the store keeps it with the bytes and writes no state over a newer one.</param>
public readonly record struct OnlineStoreEntry(OnlineStoreKey Key, ReadOnlyMemory<byte> Value, StatePosition Position);
