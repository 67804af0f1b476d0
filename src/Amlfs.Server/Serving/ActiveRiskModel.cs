using Amlfs.Learning.Models;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Serving;

/// <summary>
/// Which learned model scores, following the data directory's model registry: the active version at start, then every
/// activation or rollback within <see cref="PollInterval"/> (a check of <c>models/active.json</c>'s size and time,
/// the model loaded off the request path and swapped in whole). Null <see cref="Current"/>: the rules model scores
/// (nothing active, or the active version cannot be loaded, which <see cref="Problem"/> says and the log reports).
/// </summary>
internal sealed partial class ActiveRiskModel : IDisposable
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly ModelRegistry _registry;
    private readonly IReadOnlyList<string> _layout;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly Lock _refresh = new();
    private (long Length, DateTime Written) _seen = (-1, default);
    private volatile GradientBoostedRiskModel? _current;
    private volatile string? _problem;

    public ActiveRiskModel(string dataDirectory, IReadOnlyList<string> layout, TimeProvider clock, ILogger logger)
    {
        _registry = new ModelRegistry(dataDirectory);
        _layout = layout;
        _logger = logger;
        Refresh();
        _timer = clock.CreateTimer(_ => Refresh(), null, PollInterval, PollInterval);
    }

    /// <summary>The learned model that scores, or null when the rules do.</summary>
    public GradientBoostedRiskModel? Current => _current;

    /// <summary>Why the active version does not score, or null.</summary>
    public string? Problem => _problem;

    /// <summary>Loads the active version when <c>active.json</c> changed since the last look.</summary>
    public void Refresh()
    {
        lock (_refresh)
        {
            var file = new FileInfo(_registry.ActivationPath);
            var seen = file.Exists ? (file.Length, file.LastWriteTimeUtc) : (0L, default(DateTime));
            if (seen == _seen)
                return;
            _seen = seen;
            try
            {
                var version = _registry.ActiveVersion;
                if (version == _current?.Version)
                    return;
                var next = version is null ? null : GradientBoostedRiskModel.Load(_registry, version, _layout);
                // The previous model is left to the collector, not disposed: a request may still be scoring with it.
                _current = next;
                _problem = null;
                LogActivated(_logger, version ?? ModelKinds.Rules);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or System.Text.Json.JsonException or FormatException)
            {
                _problem = e.Message;
                LogLoadFailed(_logger, e.Message);
            }
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _current?.Dispose();
    }
}
