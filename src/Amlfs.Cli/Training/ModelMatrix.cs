using Amlfs.Parquet.Training;
using Amlfs.Scoring;

namespace Amlfs.Cli.Training;

/// <summary>
/// Rows of a training set as a model's input matrix: the inputs a model names, gathered by name from the set's feature
/// columns and its amount (<see cref="ModelInputLayout.AmountInput"/>), row-major. Training and evaluation build their
/// matrices here, so a model reads offline exactly what <c>/predict</c> gives it.
/// </summary>
internal static class ModelMatrix
{
    /// <summary>Rows [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="set"/> for inputs <paramref name="inputs"/>.</summary>
    /// <exception cref="InvalidDataException">The set lacks an input (named).</exception>
    public static double[] From(TransactionTrainingSet set, IReadOnlyList<string> inputs, int start, int end)
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var f = 0; f < set.FeatureNames.Count; f++)
            columns[set.FeatureNames[f]] = f;
        columns[ModelInputLayout.AmountInput] = -1;
        var missing = inputs.Where(n => !columns.ContainsKey(n)).ToArray();
        if (missing.Length > 0)
            throw new InvalidDataException($"the active definitions do not define features the model reads: {string.Join(", ", missing)}");
        var index = inputs.Select(n => columns[n]).ToArray();
        var width = index.Length;
        var matrix = new double[(long)(end - start) * width];
        for (var r = start; r < end; r++)
        {
            var row = set.Row(r);
            var target = matrix.AsSpan((r - start) * width, width);
            for (var c = 0; c < width; c++)
                target[c] = index[c] < 0 ? set.AmountCents[r] / 100.0 : row[index[c]];
        }

        return matrix;
    }

    /// <summary>The first row at or after <paramref name="timeMs"/> (the set is in time order).</summary>
    public static int FirstAtOrAfter(TransactionTrainingSet set, long timeMs)
    {
        var index = Array.BinarySearch(set.TimesMs, timeMs);
        if (index < 0)
            return ~index;
        while (index > 0 && set.TimesMs[index - 1] == timeMs)
            index--;
        return index;
    }
}
