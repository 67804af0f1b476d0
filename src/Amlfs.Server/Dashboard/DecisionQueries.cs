using System.Globalization;
using Amlfs.Decisions;
using Amlfs.Engine;
using Amlfs.Scoring;
using Amlfs.Server.Contracts;
using Amlfs.Server.Dashboard.Contracts;
using Amlfs.Server.Decisions;
using Amlfs.Server.Hosting;
using Amlfs.Server.Serving;
using Amlfs.Transactions;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Dashboard;

/// <summary>
/// The alert list and the decision page. The list holds the alerts the alert rules raised (<see cref="IRaisedAlerts"/>)
/// and the newest decisions that pass the filters, read from those the process keeps (<see cref="DecisionFeed"/>). A
/// decision is found by its transaction id in the feed, else in the decision log and the offline store
/// (<see cref="DecisionArchive"/>), and shown in full, with the rest of its transaction read back from the write-ahead
/// log and its features read as of its time through the one feature reading path.
/// </summary>
internal sealed partial class DecisionQueries(
    DecisionFeed feed, DecisionArchive archive, IRaisedAlerts raised, TypologySignals signals, AmlfsRuntime runtime, TransactionScorer scorer,
    FeatureReader reader, ActiveDefinitions definitions, ServerSettings settings, ILogger<DecisionQueries> logger)
{
    /// <summary>The most decisions one list answers with.</summary>
    public const int MaxLimit = 500;

    /// <summary>
    /// Whether this process has decisions to show: the embedded server decides what it accepts; a replica shows the
    /// workers' decisions when it follows their topic (<see cref="ServerSettings.DecisionSource"/>), and none otherwise.
    /// </summary>
    public bool Decides => settings.OnlineStore is null || settings.DecisionSource is not null;

    /// <summary>The most decisions the process keeps in memory.</summary>
    public int Capacity => feed.Capacity;

    /// <summary>
    /// The alerts the rules raised and the newest decisions of <paramref name="level"/> (null: every level),
    /// <paramref name="signal"/> and <paramref name="model"/> (null: any), each newest first, at most
    /// <paramref name="limit"/> of each. The level applies to the raised alerts about a decision (the decision's level),
    /// not to those about the system, which have none; the signal and the model select the alerts that name them.
    /// </summary>
    public AlertsResponse Alerts(RiskLevel? level, string? signal, string? model, int limit)
    {
        limit = Math.Clamp(limit, 1, MaxLimit);
        var held = feed.Newest(feed.Capacity);
        var items = held
            .Where(d => level is null || d.Level == level)
            .Where(d => model is null || string.Equals(d.ModelVersion, model, StringComparison.Ordinal))
            .Select(Summary)
            .Where(d => signal is null || string.Equals(d.Signal, signal, StringComparison.Ordinal))
            .Take(limit)
            .ToArray();
        var levelName = level?.WireName();
        var alerts = raised.Find(
            a => (levelName is null || a.Level is null || a.Level == levelName)
                && (model is null || string.Equals(a.ModelVersion, model, StringComparison.Ordinal))
                && (signal is null || string.Equals(a.Signal, signal, StringComparison.Ordinal)),
            limit);
        return new AlertsResponse
        {
            Decides = Decides,
            Items = items,
            RulesEnabled = raised.Enabled,
            Raised = alerts,
            RaisedHeld = raised.Held,
            Signals = [.. held.Where(d => d.Contributions is not null).Select(signals.Of).Concat(alerts.Select(a => a.Signal))
                .OfType<string>().Distinct().Order(StringComparer.Ordinal)],
            ModelVersions = [.. held.Select(d => d.ModelVersion).Concat(alerts.Select(a => a.ModelVersion)).OfType<string>().Distinct().Order(StringComparer.Ordinal)],
            Published = feed.Published,
        };
    }

    /// <summary>
    /// The decision about <paramref name="transactionId"/>: in the feed, else in the decision log or the offline
    /// store, whose table is searched in the partition of <paramref name="day"/> (the transaction's UTC day) when given.
    /// </summary>
    public async Task<DecisionSearch> FindAsync(string transactionId, DateOnly? day, CancellationToken cancellationToken) =>
        feed.Find(transactionId) is { } held
            ? new DecisionSearch(held, DecisionSearch.InFeed, Complete: true, Problems: [])
            : await archive.FindAsync(transactionId, day, cancellationToken).ConfigureAwait(false);

    /// <summary>Why no decision about <paramref name="transactionId"/> was found, naming where the search looked.</summary>
    public string Missing(string transactionId, DateOnly? day, DecisionSearch search)
    {
        ArgumentNullException.ThrowIfNull(search);
        var table = day is { } d ? string.Create(CultureInfo.InvariantCulture, $"its partition of {d:yyyy-MM-dd} in the offline decisions table") : "the offline decisions table";
        var text = string.Create(CultureInfo.InvariantCulture,
            $"no decision about '{transactionId}': not among the {feed.Capacity:N0} newest this process keeps, in the decision log or in {table}");
        if (!search.Complete && search.Problems.Count == 0)
        {
            text += string.Create(CultureInfo.InvariantCulture,
                $" (the search of the table stopped after {DecisionArchive.MaxTableRows:N0} transaction ids: give at=<the transaction's time> to search its day)");
        }

        return search.Problems.Count == 0 ? text : text + "; " + string.Join("; ", search.Problems);
    }

    /// <summary>One decision in full, found in <paramref name="source"/> (<see cref="DecisionSearch.Source"/>).</summary>
    public async Task<DecisionDetail> DetailAsync(Decision decision, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var transaction = runtime.FindLogged(decision.LogSequence);
        if (transaction is not null && transaction.TransactionId != decision.TransactionId)
            transaction = null;

        var (explanationSource, note, contributions) = await ExplainAsync(decision, transaction, cancellationToken).ConfigureAwait(false);
        var (customer, destination, featuresNote) = await FeaturesAsync(decision, cancellationToken).ConfigureAwait(false);
        return new DecisionDetail
        {
            Decision = Summary(decision),
            FoundIn = source,
            AnomalyScore = decision.AnomalyScore,
            Transaction = transaction is null ? null : new TransactionView
            {
                Currency = transaction.Currency,
                IpAddress = transaction.IpAddress,
                DeviceId = transaction.DeviceId,
                Channel = transaction.Channel,
                Country = transaction.Country,
                PaymentFormat = transaction.PaymentFormat,
                LogSequence = decision.LogSequence,
            },
            ExplanationSource = explanationSource,
            ExplanationNote = note,
            Contributions = [.. contributions.Select(c => new ContributionView(TypologySignals.FeatureOf(c.Feature), c.Value, c.Contribution, signals.Of(c.Feature)))],
            CustomerFeatures = customer,
            DestinationFeatures = destination,
            FeaturesNote = featuresNote,
        };
    }

    /// <summary>The decisions about <paramref name="id"/> as a customer or a destination, newest first.</summary>
    public IReadOnlyList<Decision> Involving(string entity, string id, int count)
    {
        Func<Decision, bool>? match = entity switch
        {
            "customer" => d => d.CustomerId == id || (d.DestinationType == DestinationType.Account && d.MerchantId == id),
            "merchant" => d => d.DestinationType == DestinationType.Merchant && d.MerchantId == id,
            _ => null,
        };
        return match is null ? [] : feed.Newest(count, match);
    }

    public DecisionSummary Summary(Decision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var top = decision.Contributions is { Count: > 0 } c ? c.FirstOrDefault(x => x.Contribution > 0) ?? c[0] : null;
        return new DecisionSummary
        {
            TransactionId = decision.TransactionId,
            CustomerId = decision.CustomerId,
            MerchantId = decision.MerchantId,
            DestinationType = DestinationTypes.Name(decision.DestinationType),
            Amount = decision.AmountCents / 100m,
            EventTime = DateTimeOffset.FromUnixTimeMilliseconds(decision.EventTimeMs),
            DecidedAt = DateTimeOffset.FromUnixTimeMilliseconds(decision.DecidedAtMs),
            Score = decision.Score,
            Level = decision.Level.WireName(),
            ModelVersion = decision.ModelVersion,
            Signal = top is null ? null : signals.Of(top.Feature),
            TopFeature = top is null ? null : TypologySignals.FeatureOf(top.Feature),
        };
    }

    /// <summary>
    /// An alert keeps its explanation; any other decision is explained again on demand, from its transaction read back
    /// from the log and its features as of its time, when the model version that decided still decides.
    /// </summary>
    private async Task<(string Source, string? Note, IReadOnlyList<DecisionContribution> Contributions)> ExplainAsync(
        Decision decision, Transaction? transaction, CancellationToken cancellationToken)
    {
        if (decision.Contributions is { } stored)
            return ("stored", null, stored);
        if (decision.ModelVersion != scorer.ModelVersion)
            return ("unavailable", $"the model that decided ({decision.ModelVersion}) no longer decides ({scorer.ModelVersion} does), so the explanation cannot be recomputed", []);
        if (transaction is null)
            return ("unavailable", "the write-ahead log no longer holds the transaction, so the explanation cannot be recomputed", []);
        if (reader.AsOfProblem(decision.EventTimeMs) is { } problem)
            return ("unavailable", "the transaction's time " + problem, []);
        try
        {
            var again = await scorer.DecideAsync([transaction], [decision.LogSequence], cancellationToken, explainEvery: true).ConfigureAwait(false);
            return ("recomputed", null, again[0].Contributions ?? []);
        }
        catch (ArgumentOutOfRangeException e)
        {
            LogExplainFailed(logger, decision.TransactionId, e);
            return ("unavailable", "the transaction's time has left the query history", []);
        }
    }

    private async Task<(FeaturesResponse? Customer, FeaturesResponse? Destination, string? Note)> FeaturesAsync(Decision decision, CancellationToken cancellationToken)
    {
        if (reader.AsOfProblem(decision.EventTimeMs) is { } problem)
            return (null, null, "the transaction's time " + problem);
        var destinationEntity = decision.DestinationType == DestinationType.Account ? definitions.Customer : definitions.Merchant;
        try
        {
            var customer = definitions.Customer is { } c ? await reader.ReadAsync(c, decision.CustomerId, decision.EventTimeMs, cancellationToken).ConfigureAwait(false) : null;
            var destination = destinationEntity is { } d ? await reader.ReadAsync(d, decision.MerchantId, decision.EventTimeMs, cancellationToken).ConfigureAwait(false) : null;
            return (customer, destination, null);
        }
        catch (ArgumentOutOfRangeException)
        {
            return (null, null, "the transaction's time has left the query history");
        }
    }
}
