namespace Amlfs.Cli.LoadTest;

/// <summary>A request that got no HTTP answer, with the kind of failure the load test counts it under.</summary>
internal sealed class RawHttpException(string kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public const string ConnectKind = "connect";
    public const string TimeoutKind = "timeout";
    public const string ConnectionKind = "connection";
    public const string ProtocolKind = "protocol";

    /// <summary>One of <see cref="ConnectKind"/>, <see cref="TimeoutKind"/>, <see cref="ConnectionKind"/>, <see cref="ProtocolKind"/>.</summary>
    public string Kind { get; } = kind;
}
