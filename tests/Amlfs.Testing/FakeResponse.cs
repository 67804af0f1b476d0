namespace Amlfs.Testing;

/// <summary>What <see cref="FakeAmlfsServer"/> answers: a status, a JSON body, extra headers, and how it is framed.</summary>
public sealed record FakeResponse(int Status, string Body = "")
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Sends the body as <c>Transfer-Encoding: chunked</c>, in chunks of <see cref="ChunkSize"/> bytes.</summary>
    public bool Chunked { get; init; }

    public int ChunkSize { get; init; } = 7;

    /// <summary>Answers with <c>Connection: close</c> and closes the connection.</summary>
    public bool Close { get; init; }

    public static FakeResponse Json(string body) => new(200, body);

    /// <summary>A busy server: 429 with <c>Retry-After</c>.</summary>
    public static FakeResponse Busy(int retryAfterSeconds) =>
        new(429, """{"title":"ingest queue full"}""") { Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
}
