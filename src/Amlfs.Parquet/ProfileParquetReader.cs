using Amlfs.Synthetic;
using Parquet;
using Parquet.Schema;
using P = Amlfs.Parquet.ProfileColumns;

namespace Amlfs.Parquet;

/// <summary>Reads the profile tables that <see cref="ProfileParquetWriter"/> writes.</summary>
public static class ProfileParquetReader
{
    public static async Task<IReadOnlyList<CustomerProfile>> ReadCustomersAsync(string path, CancellationToken cancellationToken = default)
    {
        var reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var fields = Fields(reader.Schema);
            var result = new List<CustomerProfile>();
            foreach (var group in reader.RowGroups)
            {
                var n = (int)group.RowCount;
                var ids = await StringsAsync(group, fields[P.CustomerId.Name], n, cancellationToken).ConfigureAwait(false);
                var ips = await ListsAsync(group, fields[P.HomeIps.Name], n, cancellationToken).ConfigureAwait(false);
                var devices = await StringsAsync(group, fields[P.DeviceId.Name], n, cancellationToken).ConfigureAwait(false);
                var countries = await StringsAsync(group, fields[P.CustomerCountry.Name], n, cancellationToken).ConfigureAwait(false);
                var cities = await StringsAsync(group, fields[P.CustomerCity.Name], n, cancellationToken).ConfigureAwait(false);
                var channels = await StringsAsync(group, fields[P.Channel.Name], n, cancellationToken).ConfigureAwait(false);
                var habitual = await ListsAsync(group, fields[P.HabitualMerchants.Name], n, cancellationToken).ConfigureAwait(false);
                var medians = await ValuesAsync<decimal>(group, fields[P.MedianAmount.Name], n, cancellationToken).ConfigureAwait(false);
                var sigmas = await ValuesAsync<double>(group, fields[P.AmountSigma.Name], n, cancellationToken).ConfigureAwait(false);
                var daily = await ValuesAsync<double>(group, fields[P.DailyTransactions.Name], n, cancellationToken).ConfigureAwait(false);
                var shifts = await ValuesAsync<int>(group, fields[P.RhythmShiftHours.Name], n, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < n; i++)
                {
                    result.Add(new CustomerProfile
                    {
                        CustomerId = ids[i],
                        HomeIps = ips[i],
                        DeviceId = devices[i],
                        Country = countries[i],
                        City = cities[i],
                        Channel = channels[i],
                        HabitualMerchants = habitual[i],
                        MedianAmountCents = (long)(medians[i] * 100m),
                        AmountSigma = sigmas[i],
                        DailyTransactions = daily[i],
                        RhythmShiftHours = shifts[i],
                    });
                }
            }

            return result;
        }
    }

    public static async Task<IReadOnlyList<MerchantProfile>> ReadMerchantsAsync(string path, CancellationToken cancellationToken = default)
    {
        var reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var fields = Fields(reader.Schema);
            var result = new List<MerchantProfile>();
            foreach (var group in reader.RowGroups)
            {
                var n = (int)group.RowCount;
                var ids = await StringsAsync(group, fields[P.MerchantId.Name], n, cancellationToken).ConfigureAwait(false);
                var names = await StringsAsync(group, fields[P.Name.Name], n, cancellationToken).ConfigureAwait(false);
                var categories = await StringsAsync(group, fields[P.Category.Name], n, cancellationToken).ConfigureAwait(false);
                var cities = await StringsAsync(group, fields[P.MerchantCity.Name], n, cancellationToken).ConfigureAwait(false);
                var countries = await StringsAsync(group, fields[P.MerchantCountry.Name], n, cancellationToken).ConfigureAwait(false);
                var popularity = await ValuesAsync<double>(group, fields[P.Popularity.Name], n, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < n; i++)
                {
                    result.Add(new MerchantProfile
                    {
                        MerchantId = ids[i],
                        Name = names[i],
                        Category = categories[i],
                        City = cities[i],
                        Country = countries[i],
                        Popularity = popularity[i],
                    });
                }
            }

            return result;
        }
    }

    private static Dictionary<string, DataField> Fields(ParquetSchema schema) =>
        schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);

    private static async Task<string[]> StringsAsync(ParquetRowGroupReader group, DataField field, int count, CancellationToken cancellationToken)
    {
        var values = new string?[count];
        await group.ReadAsync(field, values.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
        return Array.ConvertAll(values, v => v ?? throw new InvalidDataException($"column '{field.Name}' has a null value"));
    }

    private static async Task<T[]> ValuesAsync<T>(ParquetRowGroupReader group, DataField field, int count, CancellationToken cancellationToken)
        where T : struct
    {
        var values = new T[count];
        await group.ReadAsync<T>(field, values.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
        return values;
    }

    /// <summary>
    /// Reads a list column through the raw reader: Parquet.Net's list reading sizes its level buffers by rows, not by
    /// values. A repetition level of 0 starts the next row's list.
    /// </summary>
    private static async Task<string[][]> ListsAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken cancellationToken)
    {
        var count = checked((int)(group.GetMetadata(field)?.MetaData?.NumValues
            ?? throw new InvalidDataException($"column '{field.Name}' has no value count")));
        var values = new ReadOnlyMemory<char>[count];
        var definitions = new int[count];
        var repetitions = new int[count];
        await group.ReadRawAsync<ReadOnlyMemory<char>>(field, values, definitions, repetitions, cancellationToken).ConfigureAwait(false);
        var result = new string[rows][];
        var current = new List<string>();
        var row = -1;
        for (var i = 0; i < count; i++)
        {
            if (repetitions[i] == 0)
            {
                if (row >= 0)
                    result[row] = current.ToArray();
                current.Clear();
                row++;
            }

            current.Add(values[i].ToString());
        }

        if (row >= 0)
            result[row] = current.ToArray();
        if (row != rows - 1)
            throw new InvalidDataException($"column '{field.Name}' has lists for {row + 1} rows, expected {rows}");
        return result;
    }
}
