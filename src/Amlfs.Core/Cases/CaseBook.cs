using System.Globalization;

namespace Amlfs.Cases;

/// <summary>
/// Every case, in memory, over the case log that makes them durable. Opening replays the log (after its torn tail is
/// cut) into the cases; each change then validates against the case as it stands, appends its events and fsyncs them,
/// and only then changes the cases in memory and returns: a change that was answered survives a crash, and one that
/// failed to be written was not made.
/// <para>
/// Invariants: an entity has at most one case that is not closed, and an alert joins at most one case (an alert that
/// the log already holds is ignored, so handing the same alert over twice after a restart is harmless). Thread-safe:
/// changes are serialized by one lock; reads take it only to copy the reference of the case they return.
/// </para>
/// </summary>
public sealed class CaseBook : IDisposable
{
    /// <summary>The actor of what the system does by itself (an alert opening a case).</summary>
    public const string SystemActor = "system";

    /// <summary>The longest note, assignee or entity id accepted, in characters.</summary>
    public const int MaxTextLength = 8_000;

    private readonly Lock _lock = new();
    private readonly CaseLog _log;
    private readonly Dictionary<long, Case> _cases = [];
    private readonly Dictionary<string, long> _openByEntity = new(StringComparer.Ordinal);
    private readonly HashSet<long> _alerts = [];
    private long _lastNumber;

    private CaseBook(CaseLog log) => _log = log;

    /// <summary>Bytes cut from a torn tail of the log when it was opened.</summary>
    public long TruncatedBytes => _log.TruncatedBytes;

    /// <summary>What was wrong with the cut tail; null when nothing was cut.</summary>
    public string? Truncation => _log.Truncation;

    /// <summary>The highest alert sequence any case holds; 0 when none does.</summary>
    public long LastAlertSequence { get; private set; }

    /// <summary>How many cases there are.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
                return _cases.Count;
        }
    }

    /// <summary>Opens the case log in <paramref name="directory"/> and replays it into the cases.</summary>
    /// <exception cref="InvalidDataException">The log is damaged other than at its tail, or its events contradict each other.</exception>
    /// <exception cref="IOException">Another process holds the log, or the file system failed.</exception>
    public static CaseBook Open(string directory, TimeProvider? clock = null)
    {
        var log = CaseLog.Open(directory, clock);
        var book = new CaseBook(log);
        try
        {
            foreach (var e in log.ReadAll())
                book.Apply(e);
        }
        catch
        {
            log.Dispose();
            throw;
        }

        return book;
    }

    /// <summary>The case numbered <paramref name="number"/>, or null.</summary>
    public Case? Get(long number)
    {
        lock (_lock)
            return _cases.GetValueOrDefault(number);
    }

    /// <summary>Every case, in number order: a consistent copy.</summary>
    public IReadOnlyList<Case> All()
    {
        lock (_lock)
            return [.. _cases.Values.OrderBy(c => c.Number)];
    }

    /// <summary>The entity's case that is not closed, or null.</summary>
    public Case? OpenCaseOf(string entityType, string entityId)
    {
        lock (_lock)
            return _openByEntity.TryGetValue(EntityKey(entityType, entityId), out var number) ? _cases[number] : null;
    }

    /// <summary>
    /// Files an alert about an entity: it joins the entity's case that is not closed, or opens a new one for it. Returns
    /// the case and whether it was opened; null when the log already holds the alert.
    /// </summary>
    public (Case Case, bool Opened)? FileAlert(string entityType, string entityId, CaseAlert alert, long nowMs)
    {
        ArgumentException.ThrowIfNullOrEmpty(entityType);
        ArgumentException.ThrowIfNullOrEmpty(entityId);
        ArgumentNullException.ThrowIfNull(alert);
        lock (_lock)
        {
            if (_alerts.Contains(alert.AlertSequence))
                return null;
            var opened = !_openByEntity.TryGetValue(EntityKey(entityType, entityId), out var number);
            List<CaseEvent> events = [];
            if (opened)
            {
                number = _lastNumber + 1;
                events.Add(new CaseEvent(CaseEventKind.Opened, number, nowMs, SystemActor) { EntityType = entityType, EntityId = entityId });
            }

            events.Add(new CaseEvent(CaseEventKind.AlertJoined, number, nowMs, SystemActor) { Alert = alert });
            return (Write(events), opened);
        }
    }

    /// <summary>
    /// Moves a case to <paramref name="to"/>: open to investigating or closed, investigating to closed; closing needs a
    /// disposition, and only closing takes one. <paramref name="note"/>, when given, is kept as the transition's note.
    /// </summary>
    public CaseChange Transition(long number, CaseStatus to, CaseDisposition? disposition, string? note, string actor, long nowMs)
    {
        ArgumentException.ThrowIfNullOrEmpty(actor);
        if (to == CaseStatus.Closed && disposition is null)
            return CaseChange.Invalid("disposition", "closing a case needs a disposition: one of " + string.Join(", ", CaseNames.AllDispositions));
        if (to != CaseStatus.Closed && disposition is not null)
            return CaseChange.Invalid("disposition", "only closing a case takes a disposition");
        if (note is { Length: > MaxTextLength })
            return CaseChange.Invalid("note", TooLong);
        lock (_lock)
        {
            if (!_cases.TryGetValue(number, out var current))
                return new CaseChange(null, CaseRefusal.NotFound, $"no case {CaseNames.Id(number)}");
            var allowed = CaseNames.AllowedFrom(current.Status);
            if (!allowed.Contains(to))
            {
                return new CaseChange(current, CaseRefusal.NotAllowed, string.Create(CultureInfo.InvariantCulture,
                    $"case {current.Id} is {current.Status.Name()}; it may move to {(allowed.Count == 0 ? "nothing" : string.Join(" or ", allowed.Select(s => s.Name())))}, not {to.Name()}"));
            }

            return new CaseChange(Write([new CaseEvent(CaseEventKind.Transitioned, number, nowMs, actor) { To = to, Disposition = disposition, Text = note ?? "" }]));
        }
    }

    /// <summary>Adds a note to a case that is not closed.</summary>
    public CaseChange Note(long number, string text, string actor, long nowMs)
    {
        ArgumentException.ThrowIfNullOrEmpty(actor);
        if (string.IsNullOrWhiteSpace(text))
            return CaseChange.Invalid("text", "a note needs text");
        if (text.Length > MaxTextLength)
            return CaseChange.Invalid("text", TooLong);
        return Change(number, actor, new CaseEvent(CaseEventKind.Noted, number, nowMs, actor) { Text = text });
    }

    /// <summary>Assigns a case that is not closed to <paramref name="assignee"/>; null or empty unassigns it.</summary>
    public CaseChange Assign(long number, string? assignee, string actor, long nowMs)
    {
        ArgumentException.ThrowIfNullOrEmpty(actor);
        if (assignee is { Length: > 200 })
            return CaseChange.Invalid("assignee", "an assignee is at most 200 characters");
        return Change(number, actor, new CaseEvent(CaseEventKind.Assigned, number, nowMs, actor) { Assignee = assignee?.Trim() ?? "" });
    }

    /// <summary>Records that the labels of a closed case were written to the label table.</summary>
    public void MarkLabelled(long number, long nowMs)
    {
        lock (_lock)
        {
            if (_cases.TryGetValue(number, out var current) && current.Status == CaseStatus.Closed && !current.Labelled)
                Write([new CaseEvent(CaseEventKind.Labelled, number, nowMs, SystemActor)]);
        }
    }

    /// <summary>Writes and fsyncs what is buffered; closes the log.</summary>
    public void Dispose()
    {
        lock (_lock)
            _log.Dispose();
    }

    private const string TooLong = "is longer than 8000 characters";

    private CaseChange Change(long number, string actor, CaseEvent e)
    {
        lock (_lock)
        {
            if (!_cases.TryGetValue(number, out var current))
                return new CaseChange(null, CaseRefusal.NotFound, $"no case {CaseNames.Id(number)}");
            if (current.Status == CaseStatus.Closed)
                return new CaseChange(current, CaseRefusal.NotAllowed, $"case {current.Id} is closed; it takes no more changes");
            return new CaseChange(Write([e]));
        }
    }

    /// <summary>Appends and fsyncs <paramref name="events"/>, then applies them; the case they leave. Under the lock.</summary>
    private Case Write(List<CaseEvent> events)
    {
        foreach (var e in events)
            _log.Append(e);
        _log.Commit();
        foreach (var e in events)
            Apply(e);
        return _cases[events[^1].CaseNumber];
    }

    /// <summary>Folds one event into the cases: at replay, and after each write.</summary>
    private void Apply(CaseEvent e)
    {
        if (e.Kind == CaseEventKind.Opened)
        {
            if (_cases.ContainsKey(e.CaseNumber))
                throw new InvalidDataException($"the case log opens {CaseNames.Id(e.CaseNumber)} twice");
            var opened = Case.Opened(e);
            _cases[e.CaseNumber] = opened;
            _openByEntity[EntityKey(e.EntityType, e.EntityId)] = e.CaseNumber;
            _lastNumber = Math.Max(_lastNumber, e.CaseNumber);
            return;
        }

        if (!_cases.TryGetValue(e.CaseNumber, out var current))
            throw new InvalidDataException($"the case log has a {e.Kind} event for {CaseNames.Id(e.CaseNumber)} before it is opened");
        var next = current.Apply(e);
        _cases[e.CaseNumber] = next;
        if (e.Alert is { } alert)
        {
            _alerts.Add(alert.AlertSequence);
            LastAlertSequence = Math.Max(LastAlertSequence, alert.AlertSequence);
        }

        if (next.Status == CaseStatus.Closed && current.Status != CaseStatus.Closed)
            _openByEntity.Remove(EntityKey(next.EntityType, next.EntityId));
    }

    private static string EntityKey(string entityType, string entityId) => entityType + "\n" + entityId;
}
