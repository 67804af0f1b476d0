namespace Amlfs.Server.Serving;

/// <summary>
/// The online store holds bytes under an entity's key that this replica cannot evaluate (corrupt, or written by a
/// worker of another state layout under the same key). The API answers 502: the store answered, with bad data.
/// </summary>
internal sealed class UnreadableEntityStateException(string entity, string id, InvalidDataException innerException)
    : Exception($"the online store holds a state of {entity} '{id}' that cannot be read: {innerException.Message}", innerException);
