using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Amlfs.Parquet.Training;

/// <summary>
/// Reads a labels file: CSV (a header, then one row per line) or Parquet (by the <c>.parquet</c> extension) with columns
/// <c>entity_id</c>, <c>timestamp</c> (CSV: an ISO-8601 instant, UTC when it has no offset; Parquet: a timestamp),
/// <c>label</c> (<c>0</c>, <c>1</c>, <c>true</c>, <c>false</c>; Parquet: also a boolean or integer column) and, optionally,
/// <c>entity</c> (every row must name the requested entity type). Other columns are ignored. Every malformed row is
/// reported with its line; a file with any is refused whole, so a training set never silently lacks rows.
/// </summary>
public static class LabelFileReader
{
    private const int MaxProblems = 20;

    /// <summary>The rows of <paramref name="path"/> for entity type <paramref name="entity"/>.</summary>
    /// <exception cref="LabelFileException">The file is malformed; the message lists the problems.</exception>
    public static async Task<LabelRows> ReadAsync(string path, string entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(entity);
        if (!File.Exists(path))
            throw new LabelFileException([$"{path}: no such file"]);
        var builder = new Builder(Path.GetFileName(path), entity);
        if (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
            await ReadParquetAsync(path, builder, cancellationToken).ConfigureAwait(false);
        else
            ReadCsv(path, builder);
        return builder.Build();
    }

    private static void ReadCsv(string path, Builder builder)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine();
        if (header is null)
            throw new LabelFileException([$"{builder.File}:1: the file is empty; expected a header with entity_id,timestamp,label"]);
        var names = SplitCsv(header) ?? [];
        var entityId = Array.IndexOf(names, "entity_id");
        var timestamp = Array.IndexOf(names, "timestamp");
        var label = Array.IndexOf(names, "label");
        var entity = Array.IndexOf(names, "entity");
        var missing = new[] { ("entity_id", entityId), ("timestamp", timestamp), ("label", label) }.Where(c => c.Item2 < 0).Select(c => c.Item1).ToArray();
        if (missing.Length > 0)
            throw new LabelFileException([$"{builder.File}:1: header: missing column{(missing.Length > 1 ? "s" : "")} {string.Join(", ", missing)} (got: {header})"]);

        var line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
                continue;
            var fields = SplitCsv(text);
            if (fields is null)
            {
                builder.Problem(line, "row", "an unclosed quote");
                continue;
            }

            if (fields.Length != names.Length)
            {
                builder.Problem(line, "row", $"{fields.Length} fields, the header has {names.Length}");
                continue;
            }

            builder.Add(line, fields[entityId], ParseTimestamp(fields[timestamp]), fields[timestamp], ParseLabel(fields[label]), fields[label],
                entity >= 0 ? fields[entity] : null);
        }
    }

    private static async Task ReadParquetAsync(string path, Builder builder, CancellationToken cancellationToken)
    {
        var reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using var _ = reader.ConfigureAwait(false);
        var byName = reader.Schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);
        var missing = new[] { "entity_id", "timestamp", "label" }.Where(n => !byName.ContainsKey(n)).ToArray();
        if (missing.Length > 0)
            throw new LabelFileException([$"{builder.File}: missing column{(missing.Length > 1 ? "s" : "")} {string.Join(", ", missing)}"]);
        var row = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = checked((int)group.RowCount);
            var ids = await ColumnAsync(group, byName["entity_id"], count, cancellationToken).ConfigureAwait(false);
            var times = await ColumnAsync(group, byName["timestamp"], count, cancellationToken).ConfigureAwait(false);
            var labels = await ColumnAsync(group, byName["label"], count, cancellationToken).ConfigureAwait(false);
            var entities = byName.TryGetValue("entity", out var e) ? await ColumnAsync(group, e, count, cancellationToken).ConfigureAwait(false) : null;
            for (var i = 0; i < count; i++)
            {
                row++;
                long? asOf = times[i] switch
                {
                    DateTime t => CeilingMs((t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t).Ticks),
                    DateTimeOffset t => CeilingMs(t.UtcTicks),
                    string s => ParseTimestamp(s),
                    _ => null,
                };
                bool? label = labels[i] switch
                {
                    bool b => b,
                    int n and (0 or 1) => n == 1,
                    long n and (0 or 1) => n == 1,
                    string s => ParseLabel(s),
                    _ => null,
                };
                builder.Add(row, ids[i]?.ToString(), asOf, Convert.ToString(times[i], CultureInfo.InvariantCulture),
                    label, Convert.ToString(labels[i], CultureInfo.InvariantCulture), entities?[i]?.ToString());
            }
        }
    }

    /// <summary>A column as boxed values (null for a null), for the few types a labels column may have.</summary>
    internal static async Task<object?[]> ColumnAsync(ParquetRowGroupReader group, DataField field, int count, CancellationToken cancellationToken)
    {
        var type = field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var strings = new string?[count];
            await group.ReadAsync(field, strings.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
            return strings;
        }

        if (type == typeof(DateTime))
            return await ValuesAsync<DateTime>(group, field, count, cancellationToken).ConfigureAwait(false);
        if (type == typeof(bool))
            return await ValuesAsync<bool>(group, field, count, cancellationToken).ConfigureAwait(false);
        if (type == typeof(int))
            return await ValuesAsync<int>(group, field, count, cancellationToken).ConfigureAwait(false);
        if (type == typeof(long))
            return await ValuesAsync<long>(group, field, count, cancellationToken).ConfigureAwait(false);
        throw new LabelFileException([$"column '{field.Name}' has type {type.Name}; expected a string, timestamp, boolean or integer"]);
    }

    private static async Task<object?[]> ValuesAsync<T>(ParquetRowGroupReader group, DataField field, int count, CancellationToken cancellationToken)
        where T : struct
    {
        var values = new T?[count];
        if (field.IsNullable)
        {
            await group.ReadAsync<T>(field, values.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var required = new T[count];
            await group.ReadAsync<T>(field, required.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
                values[i] = required[i];
        }

        return values.Select(v => (object?)v).ToArray();
    }

    /// <summary>An ISO-8601 instant in UTC milliseconds (a fraction of a millisecond rounds up), or null.</summary>
    internal static long? ParseTimestamp(string text) =>
        text.Length >= 10 && char.IsAsciiDigit(text[0])
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? CeilingMs(t.UtcTicks)
            : null;

    internal static long CeilingMs(long ticks)
    {
        var sinceEpoch = ticks - DateTime.UnixEpoch.Ticks;
        return sinceEpoch / TimeSpan.TicksPerMillisecond + (sinceEpoch % TimeSpan.TicksPerMillisecond > 0 ? 1 : 0);
    }

    internal static bool? ParseLabel(string text) => text.Trim().ToUpperInvariant() switch
    {
        "1" or "TRUE" => true,
        "0" or "FALSE" => false,
        _ => null,
    };

    /// <summary>RFC 4180 fields of one line (quotes may hold commas and doubled quotes), or null for an unclosed quote.</summary>
    internal static string[]? SplitCsv(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString().Trim());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
            return null;
        fields.Add(field.ToString().Trim());
        return [.. fields];
    }

    private sealed class Builder(string file, string entity)
    {
        private readonly List<string> _problems = [];
        private readonly List<string> _ids = [];
        private readonly List<long> _times = [];
        private readonly List<bool> _labels = [];
        private readonly List<int> _lines = [];
        private int _problemCount;

        public string File { get; } = file;

        public void Problem(int line, string field, string reason)
        {
            if (++_problemCount <= MaxProblems)
                _problems.Add(string.Create(CultureInfo.InvariantCulture, $"{File}:{line}: {field}: {reason}"));
        }

        public void Add(int line, string? id, long? asOfMs, string? timestampText, bool? label, string? labelText, string? rowEntity)
        {
            var before = _problemCount;
            if (string.IsNullOrWhiteSpace(id))
                Problem(line, "entity_id", "is required");
            if (asOfMs is null)
                Problem(line, "timestamp", $"'{timestampText}' is not an ISO-8601 instant such as 2026-01-05T14:30:00Z");
            else if (asOfMs is < 0 or > 16_725_225_600_000) // 1970 to 2500, the engine's range
                Problem(line, "timestamp", $"'{timestampText}' is outside 1970-2500");
            if (label is null)
                Problem(line, "label", $"'{labelText}' is not one of 0, 1, true, false");
            if (rowEntity is { Length: > 0 } && rowEntity != entity)
                Problem(line, "entity", $"'{rowEntity}' differs from the requested entity '{entity}' (--entity)");
            if (_problemCount > before)
                return;
            _ids.Add(id!);
            _times.Add(asOfMs!.Value);
            _labels.Add(label!.Value);
            _lines.Add(line);
        }

        public LabelRows Build()
        {
            if (_problemCount > MaxProblems)
                _problems.Add(string.Create(CultureInfo.InvariantCulture, $"{File}: {_problemCount - MaxProblems} more problems"));
            if (_problems.Count > 0)
                throw new LabelFileException(_problems);
            if (_ids.Count == 0)
                throw new LabelFileException([$"{File}: no label rows"]);
            return new LabelRows(entity, [.. _ids], [.. _times], [.. _labels], [.. _lines]);
        }
    }
}
