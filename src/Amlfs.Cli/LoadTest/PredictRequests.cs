using System.Globalization;
using System.Text;
using Amlfs.Cli.Produce;
using Amlfs.Synthetic;

namespace Amlfs.Cli.LoadTest;

/// <summary>
/// The load test's requests: complete <c>POST /predict</c> HTTP/1.1 requests, head and body, encoded once before the
/// run. Bodies are live synthetic transactions without a timestamp, so the server scores each at the time it
/// receives it however long the test replays the pool.
/// </summary>
internal static class PredictRequests
{
    public static byte[][] Build(Uri url, string? apiKey, LiveTraffic traffic, int count)
    {
        var path = url.AbsolutePath.EndsWith('/') ? url.AbsolutePath + "predict" : url.AbsolutePath + "/predict";
        var requests = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var body = TransactionJson.Single(traffic.Next().Transaction, includeTimestamp: false);
            requests[i] = Encode("POST", path, url.Authority, body, apiKey);
        }

        return requests;
    }

    /// <summary>One request with the headers a server needs and nothing more; keep-alive is HTTP/1.1's default.</summary>
    public static byte[] Encode(string method, string path, string host, ReadOnlySpan<byte> body, string? apiKey = null)
    {
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{method} {path} HTTP/1.1\r\n")
            .Append(CultureInfo.InvariantCulture, $"Host: {host}\r\n");
        if (apiKey is not null)
            head.Append(CultureInfo.InvariantCulture, $"Authorization: Bearer {apiKey}\r\n");
        if (!body.IsEmpty || method == "POST")
        {
            head.Append("Content-Type: application/json\r\n")
                .Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        }

        head.Append("\r\n");
        var headBytes = Encoding.ASCII.GetBytes(head.ToString());
        var request = new byte[headBytes.Length + body.Length];
        headBytes.CopyTo(request, 0);
        body.CopyTo(request.AsSpan(headBytes.Length));
        return request;
    }
}
