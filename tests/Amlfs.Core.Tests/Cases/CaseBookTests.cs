using Amlfs.Cases;
using Amlfs.Decisions;
using Amlfs.OfflineStore;
using Amlfs.Scoring;
using Amlfs.Testing;

namespace Amlfs.Core.Tests.Cases;

public sealed class CaseBookTests
{
    private static readonly long Start = Tx.Utc(2026, 3, 10, 12);

    [Fact]
    public void An_alert_opens_a_case_a_second_alert_of_the_entity_joins_it_and_after_closing_the_next_opens_a_new_one()
    {
        using var dir = new TempDirectory();
        using var book = CaseBook.Open(dir.Path);

        var first = book.FileAlert("customer", "C1", Alert(1, "T1", 0.7), Start)!.Value;
        var second = book.FileAlert("customer", "C1", Alert(2, "T2", 0.9), Start + 1_000)!.Value;
        var other = book.FileAlert("customer", "C2", Alert(3, "T3", 0.8), Start + 2_000)!.Value;

        Assert.True(first.Opened);
        Assert.Equal("CASE-000001", first.Case.Id);
        Assert.False(second.Opened);
        Assert.Equal(first.Case.Number, second.Case.Number);
        Assert.Equal(["T1", "T2"], second.Case.Alerts.Select(a => a.TransactionId));
        Assert.Equal(0.9, second.Case.MaxScore);
        Assert.Equal(("CASE-000002", true), (other.Case.Id, other.Opened));

        Assert.Equal(CaseRefusal.None, book.Transition(1, CaseStatus.Closed, CaseDisposition.FalsePositive, null, "ana", Start + 3_000).Refusal);
        var third = book.FileAlert("customer", "C1", Alert(4, "T4", 0.6), Start + 4_000)!.Value;

        Assert.True(third.Opened);
        Assert.Equal("CASE-000003", third.Case.Id);
        Assert.Null(book.FileAlert("customer", "C1", Alert(4, "T4", 0.6), Start + 5_000)); // the same alert again
    }

    [Fact]
    public void Transitions_follow_the_lifecycle_and_a_refused_one_names_the_status_and_the_allowed_ones()
    {
        using var dir = new TempDirectory();
        using var book = CaseBook.Open(dir.Path);
        book.FileAlert("customer", "C1", Alert(1, "T1", 0.7), Start);

        var noDisposition = book.Transition(1, CaseStatus.Closed, null, null, "ana", Start + 1);
        var dispositionTooEarly = book.Transition(1, CaseStatus.Investigating, CaseDisposition.Inconclusive, null, "ana", Start + 1);
        var investigating = book.Transition(1, CaseStatus.Investigating, null, "looking", "ana", Start + 2);
        var backwards = book.Transition(1, CaseStatus.Investigating, null, null, "ana", Start + 3);
        var closed = book.Transition(1, CaseStatus.Closed, CaseDisposition.LaunderingConfirmed, null, "bo", Start + 4);
        var afterClose = book.Transition(1, CaseStatus.Closed, CaseDisposition.FalsePositive, null, "bo", Start + 5);
        var noteAfterClose = book.Note(1, "late", "bo", Start + 6);

        Assert.Equal((CaseRefusal.Invalid, "disposition"), (noDisposition.Refusal, noDisposition.Field));
        Assert.Equal((CaseRefusal.Invalid, "disposition"), (dispositionTooEarly.Refusal, dispositionTooEarly.Field));
        Assert.Equal(CaseStatus.Investigating, investigating.Case!.Status);
        Assert.Equal(CaseRefusal.NotAllowed, backwards.Refusal);
        Assert.Contains("is investigating; it may move to closed", backwards.Detail, StringComparison.Ordinal);
        Assert.Equal((CaseStatus.Closed, CaseDisposition.LaunderingConfirmed, Start + 4), (closed.Case!.Status, closed.Case.Disposition, closed.Case.ClosedAtMs));
        Assert.Contains("it may move to nothing", afterClose.Detail, StringComparison.Ordinal);
        Assert.Equal(CaseRefusal.NotAllowed, noteAfterClose.Refusal);
        Assert.Equal(CaseRefusal.NotFound, book.Transition(9, CaseStatus.Closed, CaseDisposition.Inconclusive, null, "bo", Start).Refusal);
        Assert.Equal([new CaseNote("looking", "ana", Start + 2)], closed.Case.Notes);
    }

    [Fact]
    public void The_cases_survive_a_restart_and_a_torn_tail_loses_only_the_last_unfinished_event()
    {
        using var dir = new TempDirectory();
        using (var book = CaseBook.Open(dir.Path))
        {
            book.FileAlert("merchant", "M1", Alert(1, "T1", 0.7) with { Contributions = [new DecisionContribution("amount", 12_500, 0.4)] }, Start);
            book.Assign(1, "ana", "lead", Start + 1);
            book.Note(1, "called the bank", "ana", Start + 2);
            book.Transition(1, CaseStatus.Investigating, null, null, "ana", Start + 3);
        }

        using (var reopened = CaseBook.Open(dir.Path))
        {
            var c = reopened.Get(1)!;
            Assert.Equal((CaseStatus.Investigating, "ana", "merchant", "M1"), (c.Status, c.Assignee, c.EntityType, c.EntityId));
            Assert.Equal(["opened", "AlertJoined", "Assigned", "Noted", "Transitioned"], c.History.Select(e => e.Kind == CaseEventKind.Opened ? "opened" : e.Kind.ToString()));
            Assert.Equal(0.4, c.Alerts.Single().Contributions!.Single().Contribution);
            Assert.Equal(0, reopened.TruncatedBytes);
            reopened.Note(1, "the last note, torn by the crash", "ana", Start + 4);
        }

        var segment = Directory.EnumerateFiles(dir.Path, "*.wal").Single();
        var bytes = File.ReadAllBytes(segment);
        File.WriteAllBytes(segment, bytes[..^7]); // the last record loses its tail, as a SIGKILL mid-write leaves it

        using var afterCrash = CaseBook.Open(dir.Path);
        Assert.True(afterCrash.TruncatedBytes > 0);
        Assert.Equal(["called the bank"], afterCrash.Get(1)!.Notes.Select(n => n.Text));
        Assert.Equal(1, afterCrash.LastAlertSequence);
        // The log goes on after the cut: the next alert joins the open case, the next case number follows.
        Assert.False(afterCrash.FileAlert("merchant", "M1", Alert(2, "T2", 0.5), Start + 5)!.Value.Opened);
        Assert.Equal("CASE-000002", afterCrash.FileAlert("customer", "C9", Alert(3, "T3", 0.5), Start + 6)!.Value.Case.Id);
    }

    [Fact]
    public void Closing_as_laundering_labels_each_decision_suspicious_known_at_the_close_time_and_inconclusive_labels_none()
    {
        using var dir = new TempDirectory();
        using var book = CaseBook.Open(dir.Path);
        book.FileAlert("customer", "C1", Alert(1, "T1", 0.7) with { Typology = "structuring" }, Start);
        book.FileAlert("customer", "C1", Alert(2, "T2", 0.8), Start + 10);
        book.FileAlert("customer", "C1", Alert(3, "T2", 0.8), Start + 20); // a second alert about T2
        book.FileAlert("customer", "C2", Alert(4, "T4", 0.8), Start + 30);
        book.FileAlert("customer", "C3", Alert(5, "T5", 0.8), Start + 40);

        var laundering = book.Transition(1, CaseStatus.Closed, CaseDisposition.LaunderingConfirmed, null, "ana", Start + 1_000).Case!;
        var falsePositive = book.Transition(2, CaseStatus.Closed, CaseDisposition.FalsePositive, null, "ana", Start + 2_000).Case!;
        var inconclusive = book.Transition(3, CaseStatus.Closed, CaseDisposition.Inconclusive, null, "ana", Start + 3_000).Case!;

        Assert.Equal(
            [new LabelRecord("T1", true, "structuring", Start + 1_000, "case:CASE-000001"), new LabelRecord("T2", true, Typologies.None, Start + 1_000, "case:CASE-000001")],
            CaseLabels.Of(laundering));
        Assert.Equal([new LabelRecord("T4", false, Typologies.None, Start + 2_000, "case:CASE-000002")], CaseLabels.Of(falsePositive));
        Assert.Empty(CaseLabels.Of(inconclusive));
        Assert.Equal("CASE-000001", LabelSources.CaseOf(CaseLabels.Of(laundering)[0].Source));
    }

    [Fact]
    public void The_queue_filters_orders_by_score_then_age_and_pages_with_a_cursor()
    {
        using var dir = new TempDirectory();
        using var book = CaseBook.Open(dir.Path);
        book.FileAlert("customer", "C1", Alert(1, "T1", 0.70), Start);
        book.FileAlert("customer", "C2", Alert(2, "T2", 0.90), Start + 60_000);
        book.FileAlert("customer", "C3", Alert(3, "T3", 0.70), Start + 120_000);
        book.FileAlert("merchant", "M1", Alert(4, "T4", 0.95), Start + 180_000);
        book.Assign(3, "ana", "lead", Start + 200_000);
        book.Transition(2, CaseStatus.Investigating, null, null, "ana", Start + 200_000);
        var now = Start + 3_600_000;

        string[] Ids(CaseQuery q) => [.. q.Run(book.All(), now).Cases.Select(c => c.EntityId)];

        Assert.Equal(["M1", "C2", "C1", "C3"], Ids(new CaseQuery()));
        Assert.Equal(["C1", "C2", "C3", "M1"], Ids(new CaseQuery { Order = CaseOrder.Age }));
        Assert.Equal(["C2"], Ids(new CaseQuery { Status = CaseStatus.Investigating }));
        Assert.Equal(["C3"], Ids(new CaseQuery { Assignee = "ana" }));
        Assert.Equal(["M1"], Ids(new CaseQuery { EntityType = "merchant" }));
        Assert.Equal(["C1"], Ids(new CaseQuery { EntityId = "C1" }));
        Assert.Equal(["C2", "C1"], Ids(new CaseQuery { MinAge = TimeSpan.FromMinutes(59) }));
        Assert.Equal(["M1", "C3"], Ids(new CaseQuery { MaxAge = TimeSpan.FromMinutes(58) }));

        var first = new CaseQuery { Limit = 3 }.Run(book.All(), now);
        var second = new CaseQuery { Limit = 3, Cursor = first.Next }.Run(book.All(), now);
        Assert.Equal((4, 3), (first.Total, first.Cases.Count));
        Assert.Equal(["C3"], second.Cases.Select(c => c.EntityId));
        Assert.Null(second.Next);
    }

    private static CaseAlert Alert(long sequence, string transaction, double score) =>
        new(sequence, "high_risk_decision", "HIGH decision", Start, transaction, "C", "M", Start - 1_000, score, RiskLevel.High, "rules-1");
}
