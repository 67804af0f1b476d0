using System.Buffers;
using System.IO.Pipelines;

namespace Amlfs.Server.Api;

/// <summary>
/// Reads a request body under the configured size limit. Handlers read bodies themselves, rather than through
/// parameter binding, so that every malformed body becomes a 400 naming the bad field (<see cref="TransactionBody"/>)
/// and every oversized one a 413.
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
}
