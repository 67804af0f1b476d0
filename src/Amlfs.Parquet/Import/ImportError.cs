using System.Globalization;

namespace Amlfs.Parquet.Import;

/// <summary>One rejected row of an imported file: the file's name, its 1-based line number (the header is line 1) and why.</summary>
public readonly record struct ImportError(string FileName, long Line, string Message)
{
    /// <summary><c>transactions.csv:1234: value: 'abc' is not a number</c>, the form compilers use, so editors can jump to it.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{FileName}:{Line}: {Message}");
}
