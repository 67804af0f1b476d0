using Amlfs.Registry;

namespace Amlfs.Engine;

/// <summary>
/// What an entity remembers for the aggregations that compare its events with the request (<c>first_seen</c>,
/// <c>last_seen_time</c>) beyond its raw events: the values of one field (an index into the plan's distinct fields) of
/// the events that pass one filter, over the longest window that reads them.
/// </summary>
internal sealed record SeenFamily(int Field, FeatureFilter Filter, long WindowMs);
