using Amlfs.Alerts;
using Amlfs.Alerts.Rules;
using Amlfs.Audit;
using Amlfs.Cases;
using Amlfs.Decisions;
using Amlfs.OfflineStore;
using Amlfs.Parquet.Labels;
using Amlfs.Server.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Cases;

/// <summary>
/// The cases of the embedded server (<see cref="CaseBook"/>, its log in <c>DATA/cases</c>, replayed before the port
/// opens): every raised alert about an entity opens a case for it or joins its case that is not closed; the API's
/// steps (transitions, notes, assignment) go through here, each recorded in the audit trail when one is registered;
/// and a case that closes has its decisions labelled in the offline store's label table (<see cref="CaseLabels"/>).
/// </summary>
/// <remarks>
/// A case's labels are written after its closing is durable, and then marked written in the case log; labels that a
/// crash or a failed write left unwritten are written at the next start (<see cref="StartAsync"/>), with the close
/// time as their known-at time all the same.
/// </remarks>
internal sealed partial class CaseService : IAlertSubscriber, IHostedService, IDisposable
{
    private readonly string _root;
    private readonly TimeProvider _clock;
    private readonly IAuditTrail? _audit;
    private readonly ILogger<CaseService> _logger;

    public CaseService(ServerSettings settings, TimeProvider clock, ILoggerFactory loggers, IAuditTrail? audit = null)
    {
        _root = settings.DataDirectory;
        _clock = clock;
        _audit = audit;
        _logger = loggers.CreateLogger<CaseService>();
        Book = CaseBook.Open(DatasetLayout.CasesDirectory(_root), clock);
        LogRecovered(_logger, Book.Count, Book.TruncatedBytes, Book.Truncation ?? "none");
    }

    /// <summary>Every case.</summary>
    public CaseBook Book { get; }

    public long LastAlertSequence => Book.LastAlertSequence;

    private long NowMs => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    public void OnRaised(IReadOnlyList<Alert> alerts, IReadOnlyList<Decision> decisions)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(decisions);
        Dictionary<string, Decision>? byTransaction = null;
        foreach (var alert in alerts)
        {
            if (alert is not { Entity: { } entity, TransactionId: { } transactionId, Score: { } score, RiskLevel: { } level })
                continue;
            byTransaction ??= decisions.GroupBy(d => d.TransactionId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
            var decision = byTransaction.GetValueOrDefault(transactionId);
            var filed = new CaseAlert(alert.Sequence, alert.Rule, alert.Summary, alert.RaisedAtMs, transactionId, alert.CustomerId ?? "",
                alert.MerchantId ?? "", alert.EventTimeMs ?? 0, score, level, alert.ModelVersion ?? "")
            {
                Typology = alert.Typology ?? "",
                Contributions = decision?.Contributions,
            };
            var entityType = entity == AlertEntity.Customer ? "customer" : "merchant";
            try
            {
                if (Book.FileAlert(entityType, alert.Subject, filed, NowMs) is ({ } c, true))
                {
                    LogCaseOpened(_logger, c.Id, entityType, alert.Subject, alert.Sequence);
                    _audit?.Record(CaseBook.SystemActor, AuditActions.CaseOpened, c.Id, new Dictionary<string, string?>
                    {
                        ["entity_type"] = entityType,
                        ["entity_id"] = alert.Subject,
                        ["alert"] = alert.DedupeKey,
                        ["transaction_id"] = transactionId,
                    });
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                // The alert itself is kept in the outbox; the case log refuses writes until a restart, which files it then.
                LogFilingFailed(_logger, alert.Sequence, alert.Subject, e);
            }
        }
    }

    /// <summary>Moves a case; a case that closes has its decisions labelled before this returns.</summary>
    public async Task<CaseChange> TransitionAsync(long number, CaseStatus to, CaseDisposition? disposition, string? note, string actor, CancellationToken cancellationToken)
    {
        var change = Book.Transition(number, to, disposition, note, actor, NowMs);
        if (change is not { Refusal: CaseRefusal.None, Case: { } moved })
            return change;
        _audit?.Record(actor, AuditActions.CaseTransitioned, moved.Id, new Dictionary<string, string?>
        {
            ["to"] = to.Name(),
            ["disposition"] = disposition?.Name(),
            ["note"] = string.IsNullOrEmpty(note) ? null : note,
        });
        if (to == CaseStatus.Closed)
            await WriteLabelsAsync(moved, cancellationToken).ConfigureAwait(false);
        return new CaseChange(Book.Get(number));
    }

    public CaseChange Note(long number, string text, string actor)
    {
        var change = Book.Note(number, text, actor, NowMs);
        if (change is { Refusal: CaseRefusal.None, Case: { } noted })
            _audit?.Record(actor, AuditActions.CaseNoted, noted.Id, new Dictionary<string, string?> { ["text"] = text });
        return change;
    }

    public CaseChange Assign(long number, string? assignee, string actor)
    {
        var change = Book.Assign(number, assignee, actor, NowMs);
        if (change is { Refusal: CaseRefusal.None, Case: { } assigned })
            _audit?.Record(actor, AuditActions.CaseAssigned, assigned.Id, new Dictionary<string, string?> { ["assignee"] = assigned.Assignee });
        return change;
    }

    /// <summary>Writes the labels that closed cases still owe (a crash or a failed write between closing and labelling).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var c in Book.All().Where(c => c is { Status: CaseStatus.Closed, Labelled: false }))
            await WriteLabelsAsync(c, cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Closes the case log once the host is gone (after the alert service, which files alerts while it stops).</summary>
    public void Dispose() => Book.Dispose();

    private async Task WriteLabelsAsync(Case closed, CancellationToken cancellationToken)
    {
        var labels = CaseLabels.Of(closed);
        try
        {
            var file = await LabelTable.AppendAsync(_root, labels, _clock, cancellationToken).ConfigureAwait(false);
            Book.MarkLabelled(closed.Number, NowMs);
            if (file is not null)
                LogLabelsWritten(_logger, closed.Id, labels.Count, Path.GetFileName(file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogLabelsFailed(_logger, closed.Id, e);
        }
    }
}
