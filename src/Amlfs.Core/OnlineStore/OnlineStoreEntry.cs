namespace Amlfs.OnlineStore;

/// <summary>One entity state to write: its key and its bytes (<see cref="Engine.EntityStateFormat"/>).</summary>
/// <param name="Key">Where the state goes.</param>
/// <param name="Value">The state's bytes; the store copies them.</param>
public readonly record struct OnlineStoreEntry(OnlineStoreKey Key, ReadOnlyMemory<byte> Value);
