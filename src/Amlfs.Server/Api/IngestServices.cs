using Amlfs.Server.Hosting;
using Amlfs.Server.Ingestion;
using Amlfs.Server.Observability;

namespace Amlfs.Server.Api;

/// <summary>What <c>POST /transactions</c> asks for: the request limits, the clock that stamps, the metrics, and ingest.</summary>
internal sealed record IngestServices(ServerSettings Settings, TimeProvider Clock, ServerMetrics Metrics, IIngestService Ingest);
