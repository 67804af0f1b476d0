using System.Globalization;
using Amlfs.OfflineStore;
using Amlfs.Privacy;
using DuckDB.NET.Data;

namespace Amlfs.DuckDb;

/// <summary>
/// SQL over the offline store with DuckDB, in memory and read-only: the store's Parquet files appear as views.
/// <c>transactions</c> reads every day partition (with its <c>date</c> partition column), <c>customers</c> and
/// <c>merchants</c> the profiles when the store has them, <c>feature_log_ENTITY</c> the served feature vectors that
/// <c>--log-features</c> logged (one column per feature). Nothing is copied; DuckDB scans the files for each query.
/// Given <see cref="SqlPseudonyms"/>, every view shows IP addresses and device ids as their pseudonyms
/// (<c>ip_address</c>, <c>device_id</c>, <c>home_ips</c>, the feature log's <c>request_ip_address</c> and
/// <c>request_device_id</c>, and the <c>entity_id</c> of the entity types joined on them): the views are the only
/// names a query can read, so no query reaches the raw values through them.
/// </summary>
public static class OfflineSql
{
    /// <summary>Runs <paramref name="sql"/> over the store at <paramref name="root"/> and returns at most <paramref name="maxRows"/> rows.</summary>
    /// <exception cref="OfflineSqlException">The store holds no data, or DuckDB refused the query (its message).</exception>
    /// <param name="root">The data directory.</param>
    /// <param name="sql">The query.</param>
    /// <param name="maxRows">The most rows returned.</param>
    /// <param name="pseudonymsOf">
    /// Gives the pseudonyms the views show in place of IP addresses and device ids, asked for only when the store holds
    /// data (it may make the data directory's key); null shows the raw values.
    /// </param>
    public static SqlResult Query(string root, string sql, int maxRows = int.MaxValue, Func<SqlPseudonyms>? pseudonymsOf = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 0);
        var views = Views(root);
        if (views.Count == 0)
            throw new OfflineSqlException($"the offline store at {root} holds no data: run `amlfs generate` or `amlfs import` first");

        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        var pseudonyms = pseudonymsOf?.Invoke();
        if (pseudonyms is not null)
            RegisterPseudonyms(connection, pseudonyms.Pseudonyms);
        foreach (var (name, source) in views)
        {
            Execute(connection, $"CREATE VIEW {name} AS SELECT * FROM {source}");
            if (pseudonyms is not null && Replacements(connection, name, pseudonyms) is [_, ..] replacements)
                Execute(connection, $"CREATE OR REPLACE VIEW {name} AS SELECT * REPLACE ({string.Join(", ", replacements)}) FROM {source}");
        }

        using var command = connection.CreateCommand();
        command.CommandText = sql;
        try
        {
            using var reader = command.ExecuteReader();
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
            // DuckDB.NET returns TIMESTAMPTZ as the UTC time in a DateTime of unspecified kind; say it is an instant.
            var instants = Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetDataTypeName(i) == "TimestampTz").ToArray();
            var rows = new List<object?[]>();
            var truncated = false;
            while (reader.Read())
            {
                if (rows.Count == maxRows)
                {
                    truncated = true;
                    break;
                }

                var row = new object?[columns.Length];
                for (var i = 0; i < row.Length; i++)
                    row[i] = reader.IsDBNull(i) ? null
                        : instants[i] && reader.GetValue(i) is DateTime utc ? new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc))
                        : reader.GetValue(i);
                rows.Add(row);
            }

            return new SqlResult(columns, rows, truncated);
        }
        catch (DuckDBException e)
        {
            throw new OfflineSqlException(e.Message, e);
        }
    }

    /// <summary>The views a store offers: name and DuckDB table function over its files.</summary>
    public static IReadOnlyList<(string Name, string Source)> Views(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var views = new List<(string, string)>();
        if (DatasetLayout.TransactionFiles(root).Count > 0)
        {
            var pattern = Path.Combine(Path.GetFullPath(DatasetLayout.TransactionsDirectory(root)), "date=*", "*.parquet");
            // By name: files of older layouts lack log_sequence (it reads as null), and rolled files sit beside generated ones.
            views.Add(("transactions", $"read_parquet({Literal(pattern)}, hive_partitioning = true, union_by_name = true)"));
        }

        foreach (var (name, path) in new[] { ("customers", DatasetLayout.CustomersPath(root)), ("merchants", DatasetLayout.MerchantsPath(root)) })
        {
            if (File.Exists(path))
                views.Add((name, $"read_parquet({Literal(Path.GetFullPath(path))})"));
        }

        // The feature log (amlfs serve --log-features): one wide view per entity type, feature_log_customer and so on.
        var featureLog = DatasetLayout.FeatureLogDirectory(Path.GetFullPath(root));
        if (Directory.Exists(featureLog))
        {
            foreach (var entity in Directory.EnumerateDirectories(featureLog).Select(Path.GetFileName).Order(StringComparer.Ordinal))
            {
                if (entity is null || !entity.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
                    || !Directory.EnumerateFiles(Path.Combine(featureLog, entity), "*.parquet", SearchOption.AllDirectories).Any())
                {
                    continue;
                }

                var pattern = Path.Combine(featureLog, entity, "date=*", "*.parquet");
                views.Add((FeatureLogViewPrefix + entity, $"read_parquet({Literal(pattern)}, hive_partitioning = true, union_by_name = true)"));
            }
        }

        return views;
    }

    private const string IpFunction = "amlfs_ip_pseudonym";
    private const string DeviceFunction = "amlfs_device_pseudonym";

#pragma warning disable DuckDBNET001 // scalar functions are marked experimental in DuckDB.NET
    private static void RegisterPseudonyms(DuckDBConnection connection, Pseudonymizer pseudonyms)
    {
        Register(IpFunction, pseudonyms.IpAddress);
        Register(DeviceFunction, pseudonyms.DeviceId);

        void Register(string name, Func<string?, string?> pseudonym) =>
            connection.RegisterScalarFunction<string, string>(name, (readers, writer, rows) =>
            {
                for (ulong row = 0; row < rows; row++)
                {
                    if (readers[0].IsValid(row))
                        writer.WriteValue(pseudonym(readers[0].GetValue<string>(row)), row);
                    else
                        writer.WriteNull(row);
                }
            });
    }
#pragma warning restore DuckDBNET001

    /// <summary>The <c>REPLACE</c> items that pseudonymise the personal columns view <paramref name="name"/> has.</summary>
    private static List<string> Replacements(DuckDBConnection connection, string name, SqlPseudonyms pseudonyms)
    {
        var entity = name.StartsWith(FeatureLogViewPrefix, StringComparison.Ordinal) ? name[FeatureLogViewPrefix.Length..] : null;
        var replacements = new List<string>();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT column_name, column_type FROM (DESCRIBE {name})";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var column = reader.GetString(0);
            var function = column switch
            {
                "ip_address" or "request_ip_address" => IpFunction,
                "device_id" or "request_device_id" => DeviceFunction,
                "home_ips" => IpFunction,
                "entity_id" when entity is not null && pseudonyms.IpEntities.Contains(entity) => IpFunction,
                "entity_id" when entity is not null && pseudonyms.DeviceEntities.Contains(entity) => DeviceFunction,
                _ => null,
            };
            if (function is null)
                continue;
            var quoted = "\"" + column + "\"";
            replacements.Add(reader.GetString(1).EndsWith("[]", StringComparison.Ordinal)
                ? $"list_transform({quoted}, v -> {function}(v)) AS {quoted}"
                : $"{function}({quoted}) AS {quoted}");
        }

        return replacements;
    }

    private const string FeatureLogViewPrefix = "feature_log_";

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A value as text for tables and CSV: invariant culture, ISO-8601 instants.</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
