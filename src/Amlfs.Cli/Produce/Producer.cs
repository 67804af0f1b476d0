using System.Globalization;
using Amlfs.Server.Contracts;
using Amlfs.Synthetic;
using Amlfs.Transactions;
using Spectre.Console;

namespace Amlfs.Cli.Produce;

/// <summary>
/// Sends <see cref="LiveTraffic"/> to a server at a steady rate. Transaction i is due at i / rate seconds after the
/// start, on the injected clock; every pass draws the transactions that are due (stamped with the current time) and
/// posts what accumulated, at most one batch at a time, so a slow server gets bigger batches rather than a growing
/// delay between a transaction's time and its sending.
/// </summary>
internal sealed class Producer(ProduceOptions options, AmlfsClient client, LiveTraffic traffic, TimeProvider clock, IAnsiConsole console)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    /// <summary>Totals so far; complete when <see cref="RunAsync"/> returns or throws.</summary>
    public ProduceTotals Totals { get; } = new();

    /// <summary>Runs until the count or the duration is reached, or until <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var start = clock.GetUtcNow();
        var schedule = new ProduceSchedule(options, start);
        var nextProgress = start + ProgressInterval;
        var pending = new List<Transaction>();
        long drawn = 0;
        try
        {
            while (true)
            {
                var now = clock.GetUtcNow();
                var due = schedule.Due(now);
                for (; drawn < due; drawn++)
                    pending.Add(traffic.Next().Transaction);

                if (pending.Count > 0)
                {
                    var batch = pending.Count <= options.Batch ? pending.ToList() : pending.GetRange(0, options.Batch);
                    await SendAsync(batch, cancellationToken).ConfigureAwait(false);
                    pending.RemoveRange(0, batch.Count);
                }

                now = clock.GetUtcNow();
                if (now >= nextProgress)
                {
                    console.MarkupLine(CultureInfo.InvariantCulture, "[grey]{0:HH:mm:ss}[/] {1}", now.UtcDateTime, Markup.Escape(Totals.Describe()));
                    nextProgress = now + ProgressInterval;
                }

                if (pending.Count > 0)
                    continue;
                if (drawn >= schedule.Limit) // a duration sets the limit too: everything due before its end
                    break;
                var wait = schedule.WaitFor(drawn, now);
                if (wait > TimeSpan.Zero)
                    await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Totals.Elapsed = clock.GetUtcNow() - start;
        }
    }

    /// <summary>
    /// Sends a burst of <see cref="ProduceOptions.BurstCustomer"/>'s transactions, then scores one more transaction of
    /// the same burst, a few milliseconds after the last one sent.
    /// </summary>
    public async Task<PredictResponse> RunBurstAsync(CancellationToken cancellationToken)
    {
        var start = clock.GetUtcNow();
        var burst = traffic.Burst(options.BurstCustomer!, options.BurstSize + 1);
        try
        {
            foreach (var chunk in burst.Take(options.BurstSize).Select(t => t.Transaction).Chunk(options.Batch))
                await SendAsync(chunk, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Totals.Elapsed = clock.GetUtcNow() - start;
        }

        return await client.PredictAsync(TransactionJson.Single(burst[^1].Transaction, includeTimestamp: true), cancellationToken).ConfigureAwait(false);
    }

    private async Task SendAsync(IReadOnlyCollection<Transaction> batch, CancellationToken cancellationToken)
    {
        var body = TransactionJson.Batch(batch);
        var response = await client.PostTransactionsAsync(body, OnRetry, cancellationToken).ConfigureAwait(false);
        Totals.Add(batch.Count, response);
    }

    private void OnRetry(int status, TimeSpan delay)
    {
        Totals.Retries++;
        console.MarkupLine(CultureInfo.InvariantCulture,
            "[yellow]server busy ({0}): sending the same batch again in {1:0.###} s[/]", status, delay.TotalSeconds);
    }
}
