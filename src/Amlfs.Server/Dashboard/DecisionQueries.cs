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
/// The alert list and the decision page, read from the decisions this process keeps (<see cref="DecisionFeed"/>): the
/// newest decisions that pass the filters, and one decision in full, with the rest of its transaction read back from
/// the write-ahead log and its features read as of its time through the one feature reading path.
/// </summary>
internal sealed partial class DecisionQueries(
    DecisionFeed feed, TypologySignals signals, AmlfsRuntime runtime, TransactionScorer scorer, FeatureReader reader, ActiveDefinitions definitions,
    ServerSettings settings, ILogger<DecisionQueries> logger)
{
    /// <summary>The most decisions one list answers with.</summary>
    public const int MaxLimit = 500;

    /// <summary>
    /// Whether this process has decisions to show: the embedded server decides what it accepts; a replica shows the
    /// workers' decisions when it follows their topic (<see cref="ServerSettings.DecisionSource"/>), and none otherwise.
    /// </summary>
    public bool Decides => settings.OnlineStore is null || settings.DecisionSource is not null;

    /// <summary>
    /// The newest decisions of <paramref name="level"/> (null: every level), <paramref name="signal"/> and
    /// <paramref name="model"/> (null: any), newest first, at most <paramref name="limit"/>.
    /// </summary>
    public AlertsResponse Alerts(RiskLevel? level, string? signal, string? model, int limit)
    {
        var held = feed.Newest(DecisionFeed.DefaultCapacity);
        var items = held
            .Where(d => level is null || d.Level == level)
            .Where(d => model is null || string.Equals(d.ModelVersion, model, StringComparison.Ordinal))
            .Select(Summary)
            .Where(d => signal is null || string.Equals(d.Signal, signal, StringComparison.Ordinal))
            .Take(Math.Clamp(limit, 1, MaxLimit))
            .ToArray();
        return new AlertsResponse
        {
            Decides = Decides,
            Items = items,
            Signals = [.. held.Where(d => d.Contributions is not null).Select(signals.Of).OfType<string>().Distinct().Order(StringComparer.Ordinal)],
            ModelVersions = [.. held.Select(d => d.ModelVersion).Distinct().Order(StringComparer.Ordinal)],
            Published = feed.Published,
        };
    }

    /// <summary>One decision in full, or null when the process no longer keeps it (or never took it).</summary>
    public async Task<DecisionDetail?> DetailAsync(string transactionId, CancellationToken cancellationToken)
    {
        if (feed.Find(transactionId) is not { } decision)
            return null;
        var transaction = runtime.FindLogged(decision.LogSequence);
        if (transaction is not null && transaction.TransactionId != decision.TransactionId)
            transaction = null;

        var (source, note, contributions) = await ExplainAsync(decision, transaction, cancellationToken).ConfigureAwait(false);
        var (customer, destination, featuresNote) = await FeaturesAsync(decision, cancellationToken).ConfigureAwait(false);
        return new DecisionDetail
        {
            Decision = Summary(decision),
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
            ExplanationSource = source,
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
