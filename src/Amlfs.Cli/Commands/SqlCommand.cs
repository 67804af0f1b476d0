using System.CommandLine;
using System.Text;
using System.Text.Json;
using Amlfs.Audit;
using Amlfs.DuckDb;
using Amlfs.Registry;
using Amlfs.Security;
using Amlfs.Storage;
using Spectre.Console;

namespace Amlfs.Cli.Commands;

/// <summary>
/// <c>amlfs sql "QUERY"</c>: SQL with DuckDB over the offline store's Parquet files (views <c>transactions</c>,
/// <c>customers</c>, <c>merchants</c>, <c>feature_log_ENTITY</c>), printed as a table, CSV or JSON lines. IP addresses
/// and device ids show as their pseudonyms (<see cref="SqlPseudonyms"/>) unless <c>--raw-personal-data</c> is given,
/// which the audit trail records.
/// </summary>
internal static class SqlCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var query = new Argument<string>("query") { Description = "The SQL query, e.g. \"select typology, count(*) from transactions group by 1\"" };
        var dataDirectory = DataDirectoryOption.Create();
        var format = new Option<string>("--format")
        {
            Description = "table, csv or json (one JSON object per row)",
            DefaultValueFactory = _ => "table",
            HelpName = "FORMAT",
        };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var maxRows = new Option<int>("--max-rows")
        {
            Description = "Most rows printed",
            DefaultValueFactory = _ => 1000,
        };
        var raw = RawPersonalDataOption();
        var command = new Command("sql", "Run SQL with DuckDB over the offline store (views: transactions, customers, merchants, feature_log_ENTITY)")
        {
            query, dataDirectory, format, maxRows, raw,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(maxRows) < 0)
            {
                environment.Error.WriteLine("amlfs sql: --max-rows must be at least 0");
                return 1;
            }

            var root = environment.Resolve(parse.GetValue(dataDirectory)!);
            SqlResult result;
            try
            {
                result = OfflineSql.Query(root, parse.GetValue(query)!, parse.GetValue(maxRows), parse.GetValue(raw) ? null : () => Pseudonyms(environment, root));
            }
            catch (Exception e) when (e is OfflineSqlException or ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException)
            {
                environment.Error.WriteLine($"amlfs sql: {e.Message}");
                return 1;
            }

            if (parse.GetValue(raw) && RecordRawExport(environment, root, "sql", new Dictionary<string, string?> { ["query"] = parse.GetValue(query) }) is { } failure)
            {
                environment.Error.WriteLine($"amlfs sql: {failure}");
                return 1;
            }

            switch (parse.GetValue(format))
            {
                case "csv":
                    WriteCsv(environment.Output, result);
                    break;
                case "json":
                    WriteJson(environment.Output, result);
                    break;
                default:
                    WriteTable(environment, result);
                    break;
            }

            if (result.Truncated)
                environment.Error.WriteLine($"amlfs sql: only the first {result.Rows.Count} rows are shown (--max-rows)");
            return 0;
        });
        return command;
    }

    /// <summary>The <c>--raw-personal-data</c> option of the commands that export IP addresses or device ids.</summary>
    public static Option<bool> RawPersonalDataOption() => new("--raw-personal-data")
    {
        Description = "Show IP addresses and device ids as stored instead of their pseudonyms (recorded in the audit trail)",
    };

    /// <summary>
    /// The pseudonyms of the data directory <paramref name="root"/>: its key (or <c>AMLFS_PSEUDONYM_KEY</c>), and the
    /// entity types of its active definitions joined on IP addresses and on device ids.
    /// </summary>
    public static SqlPseudonyms Pseudonyms(CliEnvironment environment, string root)
    {
        var entities = new RegistryStore(root).Active.Definition.Entities;
        return new SqlPseudonyms(
            PseudonymKey.Resolve(root, environment.Variables.GetValueOrDefault(PseudonymKey.EnvironmentVariable)),
            entities.Where(e => e.JoinKey == TransactionField.IpAddress).Select(e => e.Name).ToHashSet(StringComparer.Ordinal),
            entities.Where(e => e.JoinKey == TransactionField.DeviceId).Select(e => e.Name).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Records that <paramref name="command"/> exported raw personal data; null when recorded, else the message to report.</summary>
    public static string? RecordRawExport(CliEnvironment environment, string root, string command, Dictionary<string, string?> details) =>
        CliAudit.Record(environment, root, AuditActions.PersonalDataExported, command, details);

    private static void WriteTable(CliEnvironment environment, SqlResult result)
    {
        var table = new Table();
        foreach (var column in result.Columns)
            table.AddColumn(Markup.Escape(column));
        foreach (var row in result.Rows)
            table.AddRow(row.Select(v => Markup.Escape(OfflineSql.Format(v))).ToArray());
        environment.Console.Write(table);
        environment.Console.MarkupLine($"{result.Rows.Count} row{(result.Rows.Count == 1 ? "" : "s")}");
    }

    private static void WriteCsv(TextWriter output, SqlResult result)
    {
        output.WriteLine(string.Join(',', result.Columns.Select(Quote)));
        foreach (var row in result.Rows)
            output.WriteLine(string.Join(',', row.Select(v => Quote(OfflineSql.Format(v)))));
    }

    /// <summary>RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.</summary>
    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static void WriteJson(TextWriter output, SqlResult result)
    {
        foreach (var row in result.Rows)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                for (var i = 0; i < result.Columns.Count; i++)
                {
                    writer.WritePropertyName(result.Columns[i]);
                    WriteValue(writer, row[i]);
                }

                writer.WriteEndObject();
            }

            output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case decimal d:
                writer.WriteNumberValue(d);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case float f when float.IsFinite(f):
                writer.WriteNumberValue(f);
                break;
            case long or int or short or sbyte or byte or ushort or uint or ulong:
                writer.WriteRawValue(OfflineSql.Format(value));
                break;
            case System.Numerics.BigInteger n:
                writer.WriteRawValue(n.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteStringValue(OfflineSql.Format(value));
                break;
        }
    }
}
