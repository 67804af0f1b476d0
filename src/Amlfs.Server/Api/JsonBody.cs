using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amlfs.Server.Api;

/// <summary>
/// Reads a request body as JSON under the configured size limit. Handlers read bodies themselves, rather than through
/// parameter binding, so that every malformed body becomes a 400 naming the bad field and every oversized one a 413.
/// </summary>
internal static class JsonBody
{
    /// <summary>The first non-whitespace byte of the body, to tell an array from an object.</summary>
    public static byte FirstToken(ReadOnlySequence<byte> body)
    {
        foreach (var segment in body)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                    return b;
            }
        }

        return 0;
    }

    /// <summary>Buffers the whole body; a body over the limit throws <see cref="BadHttpRequestException"/> (413).</summary>
    public static async Task<ReadResult> ReadAllAsync(HttpRequest request, long limit)
    {
        if (request.ContentLength > limit)
            throw new BadHttpRequestException($"the body is {request.ContentLength} bytes; the limit is {limit}", StatusCodes.Status413PayloadTooLarge);
        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(request.HttpContext.RequestAborted);
            if (result.Buffer.Length > limit)
                throw new BadHttpRequestException($"the body is over the limit of {limit} bytes", StatusCodes.Status413PayloadTooLarge);
            if (result.IsCompleted)
                return result;
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>Deserializes, or returns the problem: the JSON path of the bad token becomes the field name.</summary>
    public static T? Parse<T>(ReadOnlySequence<byte> body, JsonTypeInfo<T> type, out ValidationProblem? problem)
    {
        problem = null;
        if (FirstToken(body) == 0)
        {
            problem = Problems.Invalid("body", "is empty; send a JSON document");
            return default;
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            var value = JsonSerializer.Deserialize(ref reader, type);
            if (value is null)
                problem = Problems.Invalid("body", "must not be null");
            return value;
        }
        catch (JsonException e)
        {
            problem = Problems.Invalid(FieldOf(e.Path), Describe(e));
            return default;
        }
    }

    /// <summary><c>$.amount</c> becomes <c>amount</c>, <c>$[3].amount</c> becomes <c>[3].amount</c>.</summary>
    internal static string FieldOf(string? path) => path switch
    {
        null or "$" or "" => "body",
        _ when path.StartsWith("$.", StringComparison.Ordinal) => path[2..],
        _ when path.StartsWith('$') => path[1..],
        _ => path,
    };

    private static string Describe(JsonException e)
    {
        // System.Text.Json's own messages end with a path and position the field name already gives; keep the cause.
        var message = e.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut > 0)
            message = message[..cut];
        if (e.InnerException is FormatException or OverflowException or InvalidOperationException)
            message = $"has a value of the wrong type or out of range ({e.InnerException.Message.TrimEnd('.')})";
        return message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
            ? "has a value of the wrong type or out of range"
            : message;
    }
}
