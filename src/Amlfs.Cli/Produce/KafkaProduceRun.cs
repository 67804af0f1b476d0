using System.Globalization;
using Amlfs.Kafka;
using Amlfs.Synthetic;
using Spectre.Console;

namespace Amlfs.Cli.Produce;

/// <summary>
/// Publishes <see cref="LiveTraffic"/> to Kafka at a steady rate: transaction i is due at i / rate seconds after the
/// start, on the injected clock, as with <see cref="Producer"/>. Publishing only hands a message to the client's
/// bounded buffer; the run ends with a flush that waits for every message's delivery report.
/// </summary>
internal sealed class KafkaProduceRun(ProduceOptions options, TransactionPublisher publisher, LiveTraffic traffic, TimeProvider clock, IAnsiConsole console)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    /// <summary>Time from the start to the end of the flush; set when <see cref="RunAsync"/> returns.</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <summary>
    /// Publishes until the count or the duration is reached, or until <paramref name="cancellationToken"/> fires, then
    /// flushes. Returns the totals, in which every published message is delivered or failed.
    /// </summary>
    public async Task<PublishTotals> RunAsync(CancellationToken cancellationToken)
    {
        var start = clock.GetUtcNow();
        var schedule = new ProduceSchedule(options, start);
        var limit = schedule.Limit;
        var nextProgress = start + ProgressInterval;
        long drawn = 0;
        try
        {
            while (drawn < limit)
            {
                var now = clock.GetUtcNow();
                var due = schedule.Due(now);
                for (; drawn < due; drawn++)
                    publisher.Publish(traffic.Next().Transaction, cancellationToken);

                now = clock.GetUtcNow();
                if (now >= nextProgress)
                {
                    var totals = publisher.Totals;
                    console.MarkupLine(CultureInfo.InvariantCulture, "[grey]{0:HH:mm:ss}[/] published {1:N0}, delivered {2:N0}, failed {3:N0}",
                        now.UtcDateTime, totals.Published, totals.Delivered, totals.Failed);
                    nextProgress = now + ProgressInterval;
                }

                var wait = schedule.WaitFor(drawn, now);
                if (drawn < limit && wait > TimeSpan.Zero)
                    await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C stops publishing; what was published is still flushed below.
        }

        // Flush with a token of its own: after Ctrl-C the messages already handed over still get their outcome counted.
        var final = publisher.Flush(CancellationToken.None);
        Elapsed = clock.GetUtcNow() - start;
        return final;
    }
}
