using Amlfs.Server.Hosting;
using Amlfs.Server.Ingestion;
using Amlfs.Server.Serving;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Amlfs.Server.Api;

/// <summary>
/// What <c>POST /predict</c> and <c>/batch-predict</c> ask for: the request limits, the clock that stamps, the active
/// definitions, the feature source (for the as-of rule), the scorer, ingest (for <c>"record": true</c>), and the API's
/// JSON options.
/// </summary>
internal sealed record PredictServices(
    ServerSettings Settings,
    TimeProvider Clock,
    ActiveDefinitions Definitions,
    IFeatureSource Features,
    TransactionScorer Scorer,
    IIngestService Ingest,
    IOptions<JsonOptions> Json);
