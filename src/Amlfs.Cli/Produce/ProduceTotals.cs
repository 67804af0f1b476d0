using System.Globalization;
using Amlfs.Engine;
using Amlfs.Server.Contracts;

namespace Amlfs.Cli.Produce;

/// <summary>What the server said about the transactions a run sent, added up over every confirmed batch.</summary>
internal sealed class ProduceTotals
{
    /// <summary>Transactions in batches the server answered.</summary>
    public long Sent { get; private set; }

    public long Accepted { get; private set; }

    public long Duplicates { get; private set; }

    public long Rejected { get; private set; }

    /// <summary>Rejected transactions by the server's reason (<c>late</c>, <c>future_timestamp</c>, <c>invalid</c>).</summary>
    public SortedDictionary<string, long> RejectedByReason { get; } = new(StringComparer.Ordinal);

    /// <summary>POSTs the server answered.</summary>
    public long Batches { get; private set; }

    /// <summary>Times a busy server (429, 503) made a batch wait and go again.</summary>
    public long Retries { get; set; }

    /// <summary>The first field errors of invalid transactions, to show what the server objected to.</summary>
    public List<string> InvalidSamples { get; } = [];

    public TimeSpan Elapsed { get; set; }

    public void Add(int batchSize, IngestResponse response)
    {
        Batches++;
        Sent += batchSize;
        Accepted += response.Accepted;
        Duplicates += response.Duplicates;
        Rejected += response.Rejected;
        foreach (var result in response.Results)
        {
            if (result.Status == IngestStatus.Accepted.WireName() || result.Status == IngestStatus.Duplicate.WireName())
                continue;
            RejectedByReason[result.Status] = RejectedByReason.GetValueOrDefault(result.Status) + 1;
            if (result.Errors is { Count: > 0 } errors && InvalidSamples.Count < 3)
                InvalidSamples.Add($"{result.TransactionId}: {string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}"))}");
        }
    }

    /// <summary>One line: sent, accepted, duplicates, and rejections with their reasons.</summary>
    public string Describe()
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"sent {Sent:N0}, accepted {Accepted:N0}, duplicates {Duplicates:N0}, rejected {Rejected:N0}");
        if (RejectedByReason.Count > 0)
            text += " (" + string.Join(", ", RejectedByReason.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} {r.Value:N0}"))) + ")";
        return text;
    }
}
