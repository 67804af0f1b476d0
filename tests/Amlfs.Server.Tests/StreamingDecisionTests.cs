using System.Globalization;
using Amlfs.Decisions;
using Amlfs.OfflineStore;
using Amlfs.Parquet.Decisions;
using Amlfs.Server.Serving;
using Amlfs.Testing;

namespace Amlfs.Server.Tests;

/// <summary>Decisions for transactions as they stream in: the same verdict as <c>/predict</c>, explained only when it alerts.</summary>
public sealed class StreamingDecisionTests
{
    [Fact]
    public async Task A_decision_scores_as_predict_does_and_explains_only_when_it_alerts()
    {
        await using var server = await RunningServer.StartAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        // A burst from three IPs for C1, a quiet history for C2.
        var history = Enumerable.Range(0, 12)
            .Select(i => Tx.At(now - 300_000 + (i * 20_000), customer: i < 10 ? "C1" : "C2", merchant: "M" + (i % 3), cents: 2_900_00, ip: "10.0.0." + (i % 3)))
            .ToList();
        var (status, _) = await server.PostJsonAsync("/transactions", Requests.Array(history.Select(Requests.Of)));
        Assert.Equal(200, status);
        var scored = new[]
        {
            Tx.At(now - 1_000, customer: "C1", merchant: "M1", cents: 8_750_00, ip: "10.0.0.4", id: "D1"),
            Tx.At(now - 1_000, customer: "C2", merchant: "M2", cents: 12_00, ip: "10.0.0.9", id: "D2"),
        };

        var decisions = await server.Service<TransactionScorer>().DecideAsync(scored, [101, 102], CancellationToken.None);

        Assert.Contains(decisions, d => d.Level == Amlfs.Scoring.RiskLevel.High);
        Assert.Contains(decisions, d => d.Level != Amlfs.Scoring.RiskLevel.High);
        for (var i = 0; i < scored.Length; i++)
        {
            var (predictStatus, predicted) = await server.PostJsonAsync("/predict", Requests.Of(scored[i]));
            Assert.Equal(200, predictStatus);
            var decision = decisions[i];
            Assert.Equal((scored[i].TransactionId, 101L + i), (decision.TransactionId, decision.LogSequence));
            Assert.Equal(predicted.GetProperty("risk_score").GetDouble(), decision.Score);
            Assert.Equal(predicted.GetProperty("risk_level").GetString(), decision.Level.ToString().ToUpper(CultureInfo.InvariantCulture));
            Assert.Equal(predicted.GetProperty("model_version").GetString(), decision.ModelVersion);
            Assert.Equal(decision.Level == Amlfs.Scoring.RiskLevel.High, decision.Contributions is { Count: > 0 });
        }
    }

    [Fact]
    public async Task Every_accepted_transaction_gets_one_decision_in_the_log_and_a_restart_adds_none_twice()
    {
        using var directory = new TempDirectory();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var sent = Enumerable.Range(0, 40)
            .Select(i => Tx.At(now - 600_000 + (i * 10_000), customer: "C" + (i % 4), merchant: "M" + (i % 3), cents: 100_00 + i, id: "S" + i))
            .ToList();
        await using (var server = await RunningServer.StartAsync(dataDirectory: directory.Path))
        {
            var (status, body) = await server.PostJsonAsync("/transactions", Requests.Array(sent.Concat(sent.Take(5)).Select(Requests.Of)));
            Assert.Equal((200, 40), (status, body.GetProperty("accepted").GetInt32()));
        }

        // The decision log holds one decision per accepted transaction, numbered as the write-ahead log numbers them,
        // and a clean stop rolled them all into the offline store's decisions table.
        var logged = DecisionLog.ReadCommittedFiles(DatasetLayout.DecisionLogDirectory(directory.Path)).ToList();
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), logged.Select(d => d.LogSequence));
        var decisions = await DecisionTable.ReadAsync(directory.Path);
        Assert.Equal(sent.Select(t => t.TransactionId).Order(), decisions.Select(d => d.TransactionId).Order());

        await using (await RunningServer.StartAsync(dataDirectory: directory.Path))
        {
        }

        Assert.Equal(40, (await DecisionTable.ReadAsync(directory.Path)).Count);
        Assert.Equal(40, DecisionLog.ReadCommittedFiles(DatasetLayout.DecisionLogDirectory(directory.Path)).Count());
    }

    [Fact]
    public async Task Sealed_segments_of_the_decision_log_roll_in_the_background_and_are_then_deleted()
    {
        using var directory = new TempDirectory();
        var logDirectory = DatasetLayout.DecisionLogDirectory(directory.Path);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var sent = Enumerable.Range(0, 200)
            .Select(i => Tx.At(now - 600_000 + (i * 1_000), customer: "C" + (i % 7), merchant: "M" + (i % 3), cents: 100_00 + i, id: "R" + i))
            .ToList();
        await using (var server = await RunningServer.StartAsync(dataDirectory: directory.Path, configure: s => s with { WalSegmentBytes = 4096 }))
        {
            foreach (var batch in sent.Chunk(20))
                Assert.Equal(200, (await server.PostJsonAsync("/transactions", Requests.Array(batch.Select(Requests.Of)))).Status);

            // While the server runs, the sealed segments roll into the decisions table and leave the decision log.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DecisionLog.ReadCommittedFiles(logDirectory).FirstOrDefault() is not { LogSequence: > 1 })
            {
                Assert.True(DateTime.UtcNow < deadline, "the decision log's sealed segments were never rolled and deleted");
                await Task.Delay(50);
            }

            Assert.NotEmpty(await DecisionTable.ReadAsync(directory.Path));
        }

        // A clean stop rolled the rest: every decision once.
        var decisions = await DecisionTable.ReadAsync(directory.Path);
        Assert.Equal(sent.Select(t => t.TransactionId).Order(), decisions.Select(d => d.TransactionId).Order());
    }
}
