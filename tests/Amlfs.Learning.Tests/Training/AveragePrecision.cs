namespace Amlfs.Learning.Tests.Training;

/// <summary>
/// Average precision for the tests' validation metric (the library's own lives in Evaluation): the mean, over the
/// positives, of the precision among the rows scored at least as high as each, ties broken by row order.
/// </summary>
internal static class AveragePrecision
{
    public static double Of(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        var order = scores.ToArray()
            .Select((score, row) => (Score: score, Row: row))
            .OrderByDescending(pair => pair.Score)
            .Select(pair => pair.Row)
            .ToArray();
        var positives = 0;
        var sum = 0.0;
        for (var rank = 0; rank < order.Length; rank++)
        {
            if (labels[order[rank]])
            {
                positives++;
                sum += (double)positives / (rank + 1);
            }
        }

        return positives == 0 ? 0 : sum / positives;
    }
}
