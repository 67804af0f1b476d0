namespace Amlfs.Server.Hosting;

/// <summary>The server cannot start with these settings; <see cref="Exception.Message"/> lists every problem.</summary>
public sealed class ServerSettingsException : Exception
{
    public ServerSettingsException()
    {
    }

    public ServerSettingsException(string message)
        : base(message)
    {
    }

    public ServerSettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ServerSettingsException(IReadOnlyList<string> errors)
        : base(string.Join(Environment.NewLine, errors ?? []))
    {
        Errors = errors ?? [];
    }

    public IReadOnlyList<string> Errors { get; } = [];
}
