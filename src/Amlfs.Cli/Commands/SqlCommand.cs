using System.CommandLine;
using System.Text;
using System.Text.Json;
using Amlfs.DuckDb;
using Spectre.Console;

namespace Amlfs.Cli.Commands;

/// <summary>
/// <c>amlfs sql "QUERY"</c>: SQL with DuckDB over the offline store's Parquet files (views <c>transactions</c>,
/// <c>customers</c>, <c>merchants</c>), printed as a table, CSV or JSON lines.
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
        var command = new Command("sql", "Run SQL with DuckDB over the offline store (views: transactions, customers, merchants)")
        {
            query, dataDirectory, format, maxRows,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(maxRows) < 0)
            {
                environment.Error.WriteLine("amlfs sql: --max-rows must be at least 0");
                return 1;
            }

            SqlResult result;
            try
            {
                result = OfflineSql.Query(environment.Resolve(parse.GetValue(dataDirectory)!), parse.GetValue(query)!, parse.GetValue(maxRows));
            }
            catch (OfflineSqlException e)
            {
                environment.Error.WriteLine($"amlfs sql: {e.Message}");
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
