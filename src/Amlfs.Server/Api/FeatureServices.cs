using Amlfs.Server.Serving;

namespace Amlfs.Server.Api;

/// <summary>What <c>GET /features/...</c> asks for: the active definitions, the feature reader, and the clock for "now".</summary>
internal sealed record FeatureServices(ActiveDefinitions Definitions, FeatureReader Reader, TimeProvider Clock);
