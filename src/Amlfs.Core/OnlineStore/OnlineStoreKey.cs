using System.Globalization;
using Amlfs.Engine;

namespace Amlfs.OnlineStore;

/// <summary>
/// The key of one entity's state: <c>amlfs:{version}:{entity}:{id}</c>, where version is the
/// <see cref="EntityStateFormat.Version"/> of the definitions that wrote it (16 hex digits), so that replicas of another
/// state layout look up other keys and never read bytes they cannot evaluate. The id comes last and may hold any
/// character, colons included; entity type names and versions hold none.
/// <para>
/// An account whose type has inflows has two partial states, each written by the worker that owns its end of the edge
/// (<see cref="EngineOptions.KeptDirection"/>): what it sent under the key above, and what it received under
/// <c>amlfs:{version}:{entity}.inflows:{id}</c> (<see cref="Inflows"/>). Entity type names are snake_case, so the
/// dot never makes one entity type's key another's. A replica reads both in one round trip and evaluates them merged.
/// </para>
/// <para>
/// An entity type whose graph features read other accounts' states (<see cref="EntityPlan.ReadsNeighbours"/>) is keyed
/// by the fingerprint of the id instead, <c>#</c> and 16 hex digits (<c>amlfs:{version}:customer:#00ab...</c>): a
/// search knows its neighbours by the fingerprints their transfers keep, not by their ids. Every key of such a type
/// has that form, so no id is mistaken for one; its version differs from that of any plan without such searches.
/// </para>
/// </summary>
/// <param name="Version">The state layout version (<see cref="EntityStateFormat.Version"/>).</param>
/// <param name="Entity">The entity type name, e.g. <c>customer</c>.</param>
/// <param name="Id">The entity id, e.g. a customer id.</param>
public readonly record struct OnlineStoreKey(string Version, string Entity, string Id)
{
    /// <summary>The prefix every key of the store starts with.</summary>
    public const string Prefix = "amlfs:";

    /// <summary>What follows the entity type name in the key of an account's inflows.</summary>
    public const string InflowsSuffix = ".inflows";

    /// <summary>Whether this is the key of the partial state of an account's inflows.</summary>
    public bool Inflows { get; init; }

    /// <summary>The key of an entity's state in the layout of <paramref name="format"/>.</summary>
    public static OnlineStoreKey For(EntityStateFormat format, string entity, string id)
    {
        ArgumentNullException.ThrowIfNull(format);
        return format.Plan.Entity(entity) is { ReadsNeighbours: true }
            ? ForFingerprint(format, entity, NeighbourStates.FingerprintOf(id))
            : new OnlineStoreKey(format.Version, entity, id);
    }

    /// <summary>
    /// The key of the state of the entity whose id has fingerprint <paramref name="fingerprint"/>, for an entity type
    /// keyed by fingerprint (see above): what a replica reads for an account a graph search reached.
    /// </summary>
    public static OnlineStoreKey ForFingerprint(EntityStateFormat format, string entity, ulong fingerprint)
    {
        ArgumentNullException.ThrowIfNull(format);
        return new OnlineStoreKey(format.Version, entity, "#" + fingerprint.ToString("x16", CultureInfo.InvariantCulture));
    }

    /// <summary>The key of the partial state of an account's inflows in the layout of <paramref name="format"/>.</summary>
    public static OnlineStoreKey ForInflows(EntityStateFormat format, string entity, string id) =>
        For(format, entity, id) with { Inflows = true };

    /// <summary>The key as stored: <c>amlfs:{version}:{entity}:{id}</c>, or <c>amlfs:{version}:{entity}.inflows:{id}</c>.</summary>
    public override string ToString() => string.Concat(Prefix, Version, ":", Entity, Inflows ? InflowsSuffix : "", ":", Id);
}
