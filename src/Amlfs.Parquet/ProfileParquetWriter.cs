using Amlfs.Synthetic;
using Parquet;
using Parquet.Schema;
using P = Amlfs.Parquet.ProfileColumns;

namespace Amlfs.Parquet;

/// <summary>Writes the profile tables, <c>customers.parquet</c> and <c>merchants.parquet</c>, as single files.</summary>
public static class ProfileParquetWriter
{
    private const int RowGroupSize = TransactionParquetWriter.DefaultRowGroupSize;

    /// <summary>Writes the customers to <paramref name="path"/>; every customer has at least one home IP and habitual merchant.</summary>
    public static Task WriteCustomersAsync(
        string path, IReadOnlyList<CustomerProfile> customers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customers);
        return TransactionParquetWriter.WriteFileAsync(path, async stream =>
        {
            await using var writer = await CreateAsync(P.Customers, stream, cancellationToken).ConfigureAwait(false);
            for (var offset = 0; offset < customers.Count; offset += RowGroupSize)
            {
                var rows = Slice(customers, offset);
                using var group = writer.CreateRowGroup();
                await group.WriteAsync(P.CustomerId, rows.Select(c => c.CustomerId).ToArray()).ConfigureAwait(false);
                await WriteListAsync(group, P.HomeIps, rows.Select(c => c.HomeIps)).ConfigureAwait(false);
                await group.WriteAsync(P.DeviceId, rows.Select(c => c.DeviceId).ToArray()).ConfigureAwait(false);
                await group.WriteAsync(P.CustomerCountry, rows.Select(c => c.Country).ToArray()).ConfigureAwait(false);
                await group.WriteAsync(P.CustomerCity, rows.Select(c => c.City).ToArray()).ConfigureAwait(false);
                await group.WriteAsync(P.Channel, rows.Select(c => c.Channel).ToArray()).ConfigureAwait(false);
                await WriteListAsync(group, P.HabitualMerchants, rows.Select(c => c.HabitualMerchants)).ConfigureAwait(false);
                await group.WriteAsync<decimal>(P.MedianAmount, rows.Select(c => c.MedianAmountCents / 100m).ToArray(),
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                await group.WriteAsync<double>(P.AmountSigma, rows.Select(c => c.AmountSigma).ToArray(),
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                await group.WriteAsync<double>(P.DailyTransactions, rows.Select(c => c.DailyTransactions).ToArray(),
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                await group.WriteAsync<int>(P.RhythmShiftHours, rows.Select(c => c.RhythmShiftHours).ToArray(),
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                group.CompleteValidate();
            }
        });
    }

    public static Task WriteMerchantsAsync(
        string path, IReadOnlyList<MerchantProfile> merchants, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(merchants);
        return TransactionParquetWriter.WriteFileAsync(path, async stream =>
        {
            await using var writer = await CreateAsync(P.Merchants, stream, cancellationToken).ConfigureAwait(false);
            for (var offset = 0; offset < merchants.Count; offset += RowGroupSize)
            {
                var rows = Slice(merchants, offset);
                using var group = writer.CreateRowGroup();
                await group.WriteAsync(P.MerchantId, rows.Select(m => m.MerchantId).ToArray()).ConfigureAwait(false);
                await group.WriteAsync(P.Name, rows.Select(m => m.Name).ToArray()).ConfigureAwait(false);
                await group.WriteAsync(P.Category, rows.Select(m => m.Category).ToArray()).ConfigureAwait(false);
                await group.WriteAsync(P.MerchantCity, rows.Select(m => m.City).ToArray()).ConfigureAwait(false);
                await group.WriteAsync(P.MerchantCountry, rows.Select(m => m.Country).ToArray()).ConfigureAwait(false);
                await group.WriteAsync<double>(P.Popularity, rows.Select(m => m.Popularity).ToArray(),
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                group.CompleteValidate();
            }
        });
    }

    private static Task<ParquetWriter> CreateAsync(ParquetSchema schema, Stream stream, CancellationToken cancellationToken) =>
        ParquetWriter.CreateAsync(schema, stream, TransactionParquetWriter.WriteOptions(), cancellationToken: cancellationToken);

    private static T[] Slice<T>(IReadOnlyList<T> rows, int offset) =>
        rows.Skip(offset).Take(RowGroupSize).ToArray();

    /// <summary>
    /// A list column: the values of all rows back to back, and a repetition level per value that is 0 where a row's
    /// list starts and 1 where it continues. An empty list would need a definition level of its own, so none is allowed.
    /// </summary>
    private static Task WriteListAsync(ParquetRowGroupWriter group, DataField field, IEnumerable<IReadOnlyList<string>> lists)
    {
        var values = new List<string>();
        var levels = new List<int>();
        foreach (var list in lists)
        {
            if (list.Count == 0)
                throw new ArgumentException($"'{field.Name}' must not be an empty list");
            for (var i = 0; i < list.Count; i++)
            {
                values.Add(list[i]);
                levels.Add(i == 0 ? 0 : 1);
            }
        }

        return group.WriteAsync(field, values, levels.ToArray());
    }
}
