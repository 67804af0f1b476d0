using Amlfs.Consistency;
using Amlfs.Engine;
using Amlfs.Parquet.FeatureLog;
using Amlfs.Testing;

namespace Amlfs.Parquet.Tests;

public sealed class FeatureLogFilesTests
{
    [Fact]
    public async Task Logged_vectors_read_back_exactly_with_their_nulls_and_dropped_count()
    {
        using var directory = new TempDirectory();
        string[] stored = ["a", "b"];
        string[] all = ["a", "b", "c"];
        var day1 = Tx.Utc(2026, 3, 10, 23, 59, 59, 999);
        LoggedVector[] vectors =
        [
            new("customer", "C1", day1, 7, day1 + 5, FeatureLogKind.Features, null, stored, [0.1 + 0.2, double.Epsilon]),
            new("customer", "C2", day1 + 1, 9, day1 + 6, FeatureLogKind.Predict, 12.5, all, [1, -0.0, 3])
            {
                Neighbours = [new NeighbourRead(0xFEDC_BA98_7654_3210, 8), new NeighbourRead(1, 0)],
            },
        ];

        var files = await FeatureLogFiles.WriteAsync(directory.Path, "customer", all, vectors, dropped: 4);
        var (read, dropped) = await FeatureLogFiles.ReadAsync(directory.Path);

        Assert.Equal(2, files.Count);
        Assert.Contains(Path.Combine("feature_log", "customer", "date=2026-03-11"), files[1], StringComparison.Ordinal);
        Assert.Equal(4, dropped);
        Assert.Equal(2, read.Count);
        var first = read.Single(v => v.EntityId == "C1");
        Assert.Equal(("customer", day1, 7L, day1 + 5, FeatureLogKind.Features, (double?)null),
            (first.Entity, first.AsOfMs, first.LogSequence, first.ServedAtMs, first.Kind, first.RequestAmount));
        Assert.Equal(all, first.Names);
        Assert.Equal([0.1 + 0.2, double.Epsilon, null], first.Values);
        var second = read.Single(v => v.EntityId == "C2");
        Assert.Equal((FeatureLogKind.Predict, 12.5), (second.Kind, second.RequestAmount));
        Assert.True(double.IsNegative(second.Values[1]!.Value));
        Assert.Null(first.Neighbours);
        Assert.Equal([new NeighbourRead(0xFEDC_BA98_7654_3210, 8), new NeighbourRead(1, 0)], second.Neighbours);
    }
}
