namespace Amlfs.Parquet.Import;

/// <summary>
/// The lines of a headed CSV file, split on commas. Neither imported format quotes its fields (no field holds a comma),
/// so a quoted field is not unquoted: it shows up as a row with the wrong number of fields, which is rejected.
/// </summary>
internal static class CsvLines
{
    /// <summary>
    /// Checks the header (line 1) against <paramref name="expected"/> and yields every following line with its 1-based
    /// number. A line ending with CR (a file with Windows line endings) is read without it.
    /// </summary>
    public static IEnumerable<(long Line, string Text)> Read(TextReader reader, string fileName, IReadOnlyList<string> expected)
    {
        var header = reader.ReadLine();
        var want = string.Join(',', expected);
        if (header is null)
            throw new ImportException($"{fileName} is empty; expected the header '{want}'");
        header = header.TrimStart('\uFEFF').TrimEnd('\r');
        if (!string.Equals(header, want, StringComparison.Ordinal))
            throw new ImportException($"{fileName}:1: expected the header '{want}', got '{header}'");

        return Rows(reader);
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
}
