using System.Globalization;
using Amlfs.OfflineStore;
using Parquet;

namespace Amlfs.Parquet.Training;

/// <summary>
/// Reads a file of transaction labels, as <c>amlfs train --labels</c> takes: CSV (a header, then one row per line) or
/// Parquet (by the <c>.parquet</c> extension) with columns <c>transaction_id</c>, <c>label</c> (<c>0</c>, <c>1</c>,
/// <c>true</c>, <c>false</c>) and, optionally, <c>typology</c> and <c>known_at</c> (an ISO-8601 instant, UTC when it has
/// no offset: when the label became known). A row without <c>known_at</c> is known at the instant the caller gives.
/// Every malformed row is reported with its line; a file with any is refused whole.
/// </summary>
public static class TransactionLabelFileReader
{
    private const int MaxProblems = 20;

    /// <summary>The label rows of <paramref name="path"/>, in file order, each naming the file as its source.</summary>
    /// <exception cref="LabelFileException">The file is malformed; the message lists the problems.</exception>
    public static async Task<IReadOnlyList<LabelRecord>> ReadAsync(string path, long defaultKnownAtMs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new LabelFileException([$"{path}: no such file"]);
        var file = Path.GetFileName(path);
        var rows = new List<(int Line, string?[] Values)>();
        string[] names;
        if (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            var reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using var _ = reader.ConfigureAwait(false);
            var fields = reader.Schema.GetDataFields();
            names = fields.Select(f => f.Name).ToArray();
            var line = 0;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var count = checked((int)group.RowCount);
                var columns = new object?[fields.Length][];
                for (var c = 0; c < fields.Length; c++)
                    columns[c] = await LabelFileReader.ColumnAsync(group, fields[c], count, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < count; i++)
                    rows.Add((++line, columns.Select(column => Text(column[i])).ToArray()));
            }
        }
        else
        {
            using var reader = new StreamReader(path);
            var header = reader.ReadLine()
                ?? throw new LabelFileException([$"{file}:1: the file is empty; expected a header with transaction_id,label"]);
            names = LabelFileReader.SplitCsv(header) ?? [];
            var line = 1;
            while (reader.ReadLine() is { } text)
            {
                line++;
                if (text.Length > 0)
                    rows.Add((line, LabelFileReader.SplitCsv(text) ?? [null!]));
            }
        }

        return Parse(file, names, rows, defaultKnownAtMs);
    }

    private static IReadOnlyList<LabelRecord> Parse(string file, string[] names, List<(int Line, string?[] Values)> rows, long defaultKnownAtMs)
    {
        var id = Array.IndexOf(names, "transaction_id");
        var label = Array.IndexOf(names, "label");
        var typology = Array.IndexOf(names, "typology");
        var knownAt = Array.IndexOf(names, "known_at");
        var missing = new[] { ("transaction_id", id), ("label", label) }.Where(c => c.Item2 < 0).Select(c => c.Item1).ToArray();
        if (missing.Length > 0)
            throw new LabelFileException([$"{file}:1: header: missing column{(missing.Length > 1 ? "s" : "")} {string.Join(", ", missing)} (got: {string.Join(",", names)})"]);

        var problems = new List<string>();
        var count = 0;
        void Problem(int line, string field, string reason)
        {
            if (++count <= MaxProblems)
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{file}:{line}: {field}: {reason}"));
        }

        var labels = new List<LabelRecord>(rows.Count);
        foreach (var (line, values) in rows)
        {
            if (values.Length != names.Length)
            {
                Problem(line, "row", values is [null] ? "an unclosed quote" : $"{values.Length} fields, the header has {names.Length}");
                continue;
            }

            var before = count;
            var transactionId = values[id];
            if (string.IsNullOrWhiteSpace(transactionId))
                Problem(line, "transaction_id", "is required");
            var isSuspicious = values[label] is { } text ? LabelFileReader.ParseLabel(text) : null;
            if (isSuspicious is null)
                Problem(line, "label", $"'{values[label]}' is not one of 0, 1, true, false");
            var known = defaultKnownAtMs;
            if (knownAt >= 0 && !string.IsNullOrEmpty(values[knownAt]))
            {
                if (LabelFileReader.ParseTimestamp(values[knownAt]!) is { } ms)
                    known = ms;
                else
                    Problem(line, "known_at", $"'{values[knownAt]}' is not an ISO-8601 instant such as 2026-01-05T14:30:00Z");
            }

            if (count == before)
                labels.Add(new LabelRecord(transactionId!, isSuspicious!.Value, typology >= 0 ? values[typology] ?? Typologies.None : Typologies.None, known, file));
        }

        if (count > MaxProblems)
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{file}: {count - MaxProblems} more problems"));
        if (problems.Count > 0)
            throw new LabelFileException(problems);
        if (labels.Count == 0)
            throw new LabelFileException([$"{file}: no label rows"]);
        return labels;
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        DateTime t => TransactionTimestampText(t),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static string TransactionTimestampText(DateTime t) =>
        (t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc)).ToString("O", CultureInfo.InvariantCulture);
}
