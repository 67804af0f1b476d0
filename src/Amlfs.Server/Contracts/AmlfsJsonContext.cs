using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace Amlfs.Server.Contracts;

/// <summary>
/// Source-generated JSON for every body the API reads or writes: snake_case, no reflection at run time. Clients of the
/// API (the CLI) read and write the same bodies through this context, so the wire format has one definition.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = 16,
    Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(TransactionRequest))]
[JsonSerializable(typeof(List<TransactionRequest>))]
[JsonSerializable(typeof(PredictRequest))]
[JsonSerializable(typeof(List<PredictRequest>))]
[JsonSerializable(typeof(PredictResponse))]
[JsonSerializable(typeof(List<PredictResponse>))]
[JsonSerializable(typeof(IngestResponse))]
[JsonSerializable(typeof(FeaturesResponse))]
[JsonSerializable(typeof(RegistryResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(SignedInResponse))]
[JsonSerializable(typeof(CaseResponse))]
[JsonSerializable(typeof(CaseListResponse))]
[JsonSerializable(typeof(CaseTransitionRequest))]
[JsonSerializable(typeof(CaseNoteRequest))]
[JsonSerializable(typeof(CaseAssignmentRequest))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
public sealed partial class AmlfsJsonContext : JsonSerializerContext;
