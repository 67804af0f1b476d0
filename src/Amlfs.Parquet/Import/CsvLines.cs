namespace Amlfs.Parquet.Import;

/// <summary>
/// The lines of a headed CSV file, split on commas. No imported format quotes its fields (no field holds a comma), so a
/// quoted field is not unquoted: it shows up as a row with the wrong number of fields, which is rejected.
/// </summary>
internal static class CsvLines
{
    /// <summary>
    /// Checks the header (line 1) against <paramref name="expected"/> and yields every following line with its 1-based
    /// number. A line ending with CR (a file with Windows line endings) is read without it.
    /// </summary>
    public static IEnumerable<(long Line, string Text)> Read(TextReader reader, string fileName, IReadOnlyList<string> expected)
    {
        var want = string.Join(',', expected);
        var header = Header(reader, fileName, want);
        if (!string.Equals(header, want, StringComparison.Ordinal))
            throw new ImportException($"{fileName}:1: expected the header '{want}', got '{header}'");

        return Rows(reader);
    }

    /// <summary>
    /// For a file whose columns are found by name (AMLSim's own outputs, whose column order depends on the run's schema):
    /// the header's names and the following lines. <paramref name="expected"/> describes the header in the error for an
    /// empty file.
    /// </summary>
    public static (string[] Columns, IEnumerable<(long Line, string Text)> Rows) ReadNamed(TextReader reader, string fileName, string expected) =>
        (Header(reader, fileName, expected).Split(','), Rows(reader));

    /// <summary>The index of the first of <paramref name="names"/> that <paramref name="columns"/> has, or -1.</summary>
    public static int Column(string[] columns, params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            var index = Array.IndexOf(columns, name);
            if (index >= 0)
                return index;
        }

        return -1;
    }

    /// <summary>The fields of <paramref name="text"/>, or an error message when there are not <paramref name="count"/>.</summary>
    public static string[]? Split(string text, int count, out string? error)
    {
        var fields = text.Split(',');
        if (fields.Length == count)
        {
            error = null;
            return fields;
        }

        error = text.Length == 0 ? "empty line" : $"expected {count} fields, got {fields.Length}";
        return null;
    }

    private static string Header(TextReader reader, string fileName, string expected)
    {
        var header = reader.ReadLine() ?? throw new ImportException($"{fileName} is empty; expected the header '{expected}'");
        return header.TrimStart('\uFEFF').TrimEnd('\r');
    }

    private static IEnumerable<(long Line, string Text)> Rows(TextReader reader)
    {
        long line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            yield return (line, text.TrimEnd('\r'));
        }
    }
}
