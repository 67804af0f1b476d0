using System.Buffers;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Metadata;

namespace Amlfs.Server.Api;

/// <summary>
/// A 200 with a JSON body written in one piece with its <c>Content-Length</c>: serialized into a buffer of the thread
/// first, then copied into the response and flushed once, so headers and body leave in one send. <c>TypedResults.Ok</c>
/// streams the body chunked instead, which costs a second send per response (the closing chunk), and so a second
/// wake-up of the client; on a small machine wake-ups are most of what a request costs. Like <c>Ok&lt;T&gt;</c>, it
/// describes itself to the OpenAPI document as a 200 with a JSON <typeparamref name="T"/>.
/// </summary>
internal sealed class JsonResponse<T>(T value, JsonTypeInfo<T> type) : IResult, IEndpointMetadataProvider
{
    // No await between filling these and copying out of them, so one per thread is never shared by two requests.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
    }

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = _writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = type.Options.Encoder, SkipValidation = true });
        writer.Reset(buffer);
        JsonSerializer.Serialize(writer, value, type);
        writer.Flush();

        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = buffer.WrittenCount;
        var body = response.BodyWriter;
        buffer.WrittenSpan.CopyTo(body.GetSpan(buffer.WrittenCount));
        body.Advance(buffer.WrittenCount);
        var flush = body.FlushAsync(httpContext.RequestAborted);
        return flush.IsCompletedSuccessfully ? Task.CompletedTask : flush.AsTask();
    }
}
