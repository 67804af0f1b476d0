using System.Globalization;
using System.Net.Http.Json;
using Amlfs.Server.Contracts;
using Amlfs.Transactions;

namespace Amlfs.Cli.Consistency;

/// <summary>
/// Drives a server the way the consistency check needs to be tested: ingest out of event-time order (about a fifth
/// of the events up to two minutes behind the clock, the rest stamped by the server), duplicate ids (5 %), late events the server
/// rejects (3 %), interleaved with many <c>/predict</c>
/// calls (with and without a timestamp, some with <c>"record": true</c>) and <c>/features</c> reads (customers and
/// merchants, now and <c>?at=</c> a past instant), from several concurrent clients, over a small population so that
/// entities are read between their events and again after late arrivals.
/// </summary>
internal sealed class ConsistencyTraffic(HttpClient http, TimeProvider clock, TrafficOptions options)
{
    private const long OutOfOrderMs = 120_000;
    private const long LateMs = 15 * 60_000;
    private long _transactions;
    private long _accepted;
    private long _duplicates;
    private long _rejected;
    private long _predicts;
    private long _recorded;
    private long _reads;
    private long _vectors;

    public async Task<TrafficTotals> RunAsync(CancellationToken cancellationToken)
    {
        // One event at the clock first, so that the watermark stands and the late events of every client are late.
        await PostTransactionsAsync([Transaction<TransactionRequest>(new Random(options.Seed), "warm-up", "C0000", Now)], cancellationToken);
        var clients = Enumerable.Range(0, options.Clients).Select(c => RunClientAsync(c, cancellationToken)).ToArray();
        await Task.WhenAll(clients);
        return new TrafficTotals(_transactions, _accepted, _duplicates, _rejected, _predicts, _recorded, _reads, _vectors);
    }

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private int Customers => Math.Max(8, options.Transactions / 60);

    private int Merchants => Math.Max(4, options.Transactions / 200);

    private async Task RunClientAsync(int client, CancellationToken cancellationToken)
    {
        var random = new Random(options.Seed * 1000 + client + 1);
        var transactions = Share(options.Transactions, client);
        var requests = Share(options.Requests, client);
        var sent = new List<string>();
        var serial = 0;
        while (transactions > 0 || requests > 0)
        {
            if (transactions > 0 && (requests == 0 || random.NextDouble() < transactions / (double)(transactions + requests)))
            {
                var batch = new List<TransactionRequest>();
                for (var n = Math.Min(transactions, random.Next(1, 6)); n > 0; n--, transactions--)
                {
                    var id = sent.Count > 0 && random.NextDouble() < 0.05
                        ? sent[random.Next(sent.Count)]
                        : string.Create(CultureInfo.InvariantCulture, $"cc-{options.Seed}-{client}-{serial++}");
                    sent.Add(id);
                    var roll = random.NextDouble();
                    long? at = roll < 0.03 ? Now - LateMs : roll < 0.25 ? Now - random.NextInt64(OutOfOrderMs) : null;
                    batch.Add(Transaction<TransactionRequest>(random, id, Customer(random), at));
                }

                await PostTransactionsAsync(batch, cancellationToken);
                continue;
            }

            requests--;
            if (random.NextDouble() < 0.5)
                await PredictAsync(random, client, serial++, cancellationToken);
            else
                await ReadFeaturesAsync(random, cancellationToken);
        }
    }

    private int Share(int total, int client) => total / options.Clients + (client < total % options.Clients ? 1 : 0);

    private string Customer(Random random) => string.Create(CultureInfo.InvariantCulture, $"C{random.Next(Customers):D4}");

    private string Merchant(Random random) => string.Create(CultureInfo.InvariantCulture, $"M{random.Next(Merchants):D4}");

    private static string Ip(Random random) => string.Create(CultureInfo.InvariantCulture, $"10.0.{random.Next(4)}.{random.Next(1, 6)}");

    private static string Device(Random random) => string.Create(CultureInfo.InvariantCulture, $"D{random.Next(12):D2}");

    /// <summary>A transaction to send; without <paramref name="atMs"/> the server stamps the time it receives it.</summary>
    private T Transaction<T>(Random random, string id, string customer, long? atMs)
        where T : TransactionRequest, new()
    {
        // A quarter are transfers to another customer's account: the graph features search the transfers between them.
        var transfer = random.NextDouble() < 0.25;
        return new T
        {
            TransactionId = id,
            CustomerId = customer,
            MerchantId = transfer ? Customer(random) : Merchant(random),
            DestinationType = transfer ? "account" : null,
            Amount = Math.Round(random.Next(100, 500_000) / 100m, 2),
            IpAddress = random.NextDouble() < 0.9 ? Ip(random) : null,
            DeviceId = random.NextDouble() < 0.7 ? Device(random) : null,
            Timestamp = atMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
        };
    }

    private async Task PostTransactionsAsync(List<TransactionRequest> batch, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/transactions", batch, AmlfsJsonContext.Default.ListTransactionRequest, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync(AmlfsJsonContext.Default.IngestResponse, cancellationToken)
            ?? throw new InvalidOperationException("POST /transactions answered 200 without a body");
        Interlocked.Add(ref _transactions, batch.Count);
        Interlocked.Add(ref _accepted, body.Accepted);
        Interlocked.Add(ref _duplicates, body.Duplicates);
        Interlocked.Add(ref _rejected, body.Rejected);
    }

    private async Task PredictAsync(Random random, int client, int serial, CancellationToken cancellationToken)
    {
        var record = random.NextDouble() < 0.3;
        var transaction = Transaction<PredictRequest>(random, string.Create(CultureInfo.InvariantCulture, $"cp-{options.Seed}-{client}-{serial}"),
            Customer(random), random.NextDouble() < 0.5 ? null : Now - random.NextInt64(60_000));
        transaction.Record = record;
        using var response = await http.PostAsJsonAsync("/predict", transaction, AmlfsJsonContext.Default.PredictRequest, cancellationToken);
        response.EnsureSuccessStatusCode();
        Interlocked.Increment(ref _predicts);
        // A vector of each entity the transaction names: the customer, the merchant, its IP and its device.
        Interlocked.Add(ref _vectors, 2 + (transaction.IpAddress is null ? 0 : 1) + (transaction.DeviceId is null ? 0 : 1));
        if (record)
        {
            Interlocked.Increment(ref _recorded);
            Interlocked.Increment(ref _transactions);
        }
    }

    private async Task ReadFeaturesAsync(Random random, CancellationToken cancellationToken)
    {
        var draw = random.NextDouble();
        var path = draw switch
        {
            < 0.6 => "/features/" + Customer(random),
            < 0.8 => "/features/merchant/" + Merchant(random),
            < 0.9 => "/features/ip/" + Ip(random),
            _ => "/features/device/" + Device(random),
        };
        if (random.NextDouble() < 0.5)
            path += "?at=" + Uri.EscapeDataString(TransactionTimestamps.Format(Now - random.NextInt64(10 * 60_000)));
        using var response = await http.GetAsync(path, cancellationToken);
        response.EnsureSuccessStatusCode();
        Interlocked.Increment(ref _reads);
        Interlocked.Increment(ref _vectors);
    }
}
