namespace Amlfs.Cli.Produce;

/// <summary>The server answered with an error that retrying the same request will not cure.</summary>
internal sealed class AmlfsServerException(string message) : Exception(message);
